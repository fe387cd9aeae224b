package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.DirtyPages;
import io.reshape.events.GenerationDiff;
import io.reshape.events.GenerationRequest;
import io.reshape.jobs.generations.GenerationSettings;
import io.reshape.jobs.generations.GenerationsJob;
import io.reshape.jobs.kafka.EventTime;
import io.reshape.local.CommittedRecords.Keyed;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * The page-generations job in a MiniCluster (parallelism 2, RocksDB) against a real broker and
 * registry: MiyakoDori's round trip through Kafka, then a cancel after an answer was written but
 * before a checkpoint committed it, and a restore from the last retained checkpoint that publishes
 * each answer exactly once. The test takes every checkpoint itself, so which answers are committed
 * when the job is cancelled does not depend on timing. {@link AnalyticsCrashIT} kills the process
 * instead.
 */
@Timeout(300)
class GenerationsJobIT {

  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(30));
  private static final int PAGES = 16384;
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Written on host-b after the VM left host-a. */
  private static final int[] ON_B = {10, 20, 30, 4000, 4001};

  @TempDir
  Path dir;

  private KafkaConnection kafka;
  private TopicWriter writer;

  @Test
  void aRoundTripIsAnsweredExactlyAndARestoreRepeatsNoAnswer() throws Exception {
    try (LocalStack stack = LocalStack.start(null);
        TopicWriter topics = new TopicWriter(stack.connection());
        OwnedMiniCluster flink = OwnedMiniCluster.start(2, dir.resolve("checkpoints"), 0)) {
      kafka = stack.connection();
      writer = topics;
      CheckpointedJob first = flink.submit("generations-it", this::addJob, null);

      // The job takes records only of hosts and VMs the inventory lists.
      for (String host : List.of("host-a", "host-b", "host-z")) {
        writer.send(Topics.INVENTORY, InventoryKeys.host(host), InputRecords.host(host, 8, 32L << 30, T0), T0);
      }
      writer.send(Topics.INVENTORY, InventoryKeys.vm("vm-tick"), InputRecords.placed("vm-tick", "host-z", PAGES, T0), T0);
      placed("host-a", 0);
      for (int second = 1; second <= 5; second++) {
        written("host-a", second, RoaringBitmap.bitmapOf(IntStream.range(second * 100, second * 100 + 50).toArray()));
      }
      placed("host-b", 5500);
      written("host-b", 6, RoaringBitmap.bitmapOf(ON_B[0], ON_B[1]));
      written("host-b", 7, RoaringBitmap.bitmapOf(ON_B[2], ON_B[0]));
      written("host-b", 8, RoaringBitmap.bitmapOf(ON_B[3], ON_B[4]));
      ask("host-a", 9);
      ask("host-c", 9);

      awaitWritten(20, seen -> seen.size() >= 2);
      Path retained = first.checkpoint();
      // Committed once the checkpoint is complete: Flink commits the sinks' transactions right after.
      List<GenerationDiff> answers =
          vmAnswers(CommittedRecords.await(kafka, Topics.PAGE_GENERATIONS, WAIT, read -> vmAnswers(read).size() >= 2));
      GenerationDiff backToA = answers.stream().filter(a -> a.getCandidateHostId().equals("host-a")).findFirst().orElseThrow();
      assertThat(backToA.getPagesToSend()).as("exactly the pages written since the VM left host-a").isEqualTo(ON_B.length);
      assertThat(backToA.getImageEpoch()).isEqualTo(5L);
      assertThat(backToA.getCurrentEpoch()).isEqualTo(8L);
      assertThat(backToA.getBytesToSend()).isEqualTo(ON_B.length * 4096L);
      assertThat(answers.stream().filter(a -> a.getCandidateHostId().equals("host-c")).findFirst().orElseThrow().getPagesToSend())
          .isEqualTo(PAGES);

      // More writes on host-b and a question; the answer is written, then the job is cancelled. No
      // checkpoint is taken in between, so none can commit the answer before the cancel.
      // One long interval, [8 s, 30 s): contiguous with the last, so nothing in between is unknown.
      writer.send(Topics.DIRTY_PAGES, "vm-rt", dirty("host-b", 8, 30, RoaringBitmap.bitmapOf(50, 60)), T0.plusSeconds(30));
      ask("host-a", 31);
      awaitWritten(45, seen -> !answersAt(seen, 31).isEmpty());
      first.cancel();
      assertThat(answersAt(vmAnswers(CommittedRecords.readAll(kafka, Topics.PAGE_GENERATIONS)), 31))
          .as("not committed when the job was cancelled").isEmpty();

      CheckpointedJob second = flink.submit("generations-it", this::addJob, retained);
      // The cancelled job's copy of the answer and the restored job's, before a checkpoint commits the second.
      awaitWritten(45, seen -> answersAt(seen, 31).size() >= 2);
      second.checkpoint();
      List<GenerationDiff> committed = vmAnswers(CommittedRecords.await(kafka, Topics.PAGE_GENERATIONS, WAIT,
          read -> !answersAt(vmAnswers(read), 31).isEmpty()));
      assertThat(answersAt(committed, 31)).singleElement()
          .satisfies(a -> assertThat(a.getPagesToSend()).isEqualTo(ON_B.length + 2));
      assertThat(committed).as("no answer twice").extracting(a -> a.getCandidateHostId() + "@" + a.getComputedAt()).doesNotHaveDuplicates();
      assertThat(answersAt(vmAnswers(CommittedRecords.readAllWritten(kafka, Topics.PAGE_GENERATIONS)), 31))
          .as("written twice, once aborted").hasSize(2);
      second.cancel();
    }
  }

  private void addJob(StreamExecutionEnvironment env) {
    GenerationSettings defaults = GenerationSettings.defaults();
    // Answers only when asked, so the test knows each one.
    GenerationSettings settings = new GenerationSettings(defaults.windows(), defaults.ringSize(), defaults.maxImages(),
        defaults.imageRetention(), Duration.ofDays(1), EventTime.defaults().withTimeouts(Duration.ofSeconds(2),
        EventTime.defaults().stallTimeout(), false));
    GenerationsJob.onKafka(kafka, settings).addTo(env);
  }

  /**
   * Waits until the answers written for the test VM, committed or not, satisfy {@code done}; ticks
   * event time along at {@code tickSecond} meanwhile.
   */
  private void awaitWritten(int tickSecond, Predicate<List<GenerationDiff>> done) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      tick(tickSecond);
      List<GenerationDiff> answers = vmAnswers(CommittedRecords.readAllWritten(kafka, Topics.PAGE_GENERATIONS));
      if (done.test(answers)) {
        return;
      }
      assertThat(Instant.now()).as("answers written: " + answers).isBefore(deadline);
    }
  }

  private static List<GenerationDiff> vmAnswers(List<Keyed<GenerationDiff>> read) {
    return read.stream().map(Keyed::value).filter(a -> a.getVmId().equals("vm-rt")).toList();
  }

  private static List<GenerationDiff> answersAt(List<GenerationDiff> answers, int second) {
    return answers.stream().filter(a -> a.getComputedAt().equals(T0.plusSeconds(second))).toList();
  }

  private void placed(String host, long millis) {
    Instant at = T0.plusMillis(millis);
    writer.send(Topics.INVENTORY, InventoryKeys.vm("vm-rt"), InputRecords.placed("vm-rt", host, PAGES, at), at);
    writer.flush();
  }

  /** The pages written on {@code host} in the second that ends at {@code second}. */
  private void written(String host, int second, RoaringBitmap pages) {
    writer.send(Topics.DIRTY_PAGES, "vm-rt", dirty(host, second - 1, second, pages), T0.plusSeconds(second));
    writer.flush();
  }

  /** A VM of its own writing now and then, so event time moves on while the test waits. */
  private void tick(int second) {
    Instant end = T0.plusSeconds(second);
    writer.send(Topics.DIRTY_PAGES, "vm-tick",
        InputRecords.dirtyPages("vm-tick", "host-z", end.minusSeconds(1), end, PAGES, new RoaringBitmap()), end);
    writer.flush();
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static DirtyPages dirty(String host, int fromSecond, int toSecond, RoaringBitmap pages) {
    return InputRecords.dirtyPages("vm-rt", host, T0.plusSeconds(fromSecond), T0.plusSeconds(toSecond), PAGES, pages);
  }

  private void ask(String host, int second) {
    writer.send(Topics.GENERATION_REQUESTS, "vm-rt", new GenerationRequest("vm-rt", host, T0.plusSeconds(second)), T0.plusSeconds(second));
    writer.flush();
  }
}
