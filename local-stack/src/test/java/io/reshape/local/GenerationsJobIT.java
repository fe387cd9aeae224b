package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.coordinator.CoordinatorSettings;
import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.events.GenerationDiff;
import io.reshape.events.GenerationRequest;
import io.reshape.events.InventoryRecord;
import io.reshape.events.VmInventory;
import io.reshape.events.VmState;
import io.reshape.jobs.analytics.AnalyticsSettings;
import io.reshape.jobs.generations.GenerationSettings;
import io.reshape.jobs.generations.GenerationsJob;
import io.reshape.local.CommittedRecords.Keyed;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.PageBitmaps;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * The page-generations job in a MiniCluster (parallelism 2, RocksDB) against a real broker and
 * registry: MiyakoDori's round trip through Kafka, then a crash after outputs were written but
 * before they were committed, and a restore from the last retained checkpoint that publishes each
 * answer exactly once.
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

  private KafkaProducer<String, byte[]> producer;
  private Map<String, String> registry;

  @Test
  void aRoundTripIsAnsweredExactlyAndARestoreRepeatsNoAnswer() throws Exception {
    try (LocalStack stack = LocalStack.start(null)) {
      KafkaConnection kafka = stack.connection();
      registry = kafka.registryProperties();
      producer = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), new ByteArraySerializer());
      // Long checkpoints in the first run: an answer stays uncommitted long enough to be caught there.
      JobClient first = start(kafka, Duration.ofSeconds(10), null);

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

      List<GenerationDiff> answers = await(kafka, 20, list -> list.size() >= 2);
      GenerationDiff backToA = answers.stream().filter(a -> a.getCandidateHostId().equals("host-a")).findFirst().orElseThrow();
      assertThat(backToA.getPagesToSend()).as("exactly the pages written since the VM left host-a").isEqualTo(ON_B.length);
      assertThat(backToA.getImageEpoch()).isEqualTo(5L);
      assertThat(backToA.getCurrentEpoch()).isEqualTo(8L);
      assertThat(backToA.getBytesToSend()).isEqualTo(ON_B.length * 4096L);
      assertThat(answers.stream().filter(a -> a.getCandidateHostId().equals("host-c")).findFirst().orElseThrow().getPagesToSend())
          .isEqualTo(PAGES);

      // More writes on host-b and a question; the answer is written, then the job dies before the checkpoint commits it.
      // One long interval, [8 s, 30 s): contiguous with the last, so nothing in between is unknown.
      send(Topics.DIRTY_PAGES, "vm-rt", dirty("vm-rt", "host-b", 8, 30, RoaringBitmap.bitmapOf(50, 60)), T0.plusSeconds(30));
      ask("host-a", 31);
      Instant deadline = Instant.now().plus(WAIT);
      while (answersAt(CommittedRecords.readAllWritten(kafka, Topics.PAGE_GENERATIONS), 31).isEmpty()) {
        tick(45);
        assertThat(Instant.now()).as("the second answer written").isBefore(deadline);
      }
      first.cancel().get(30, TimeUnit.SECONDS);
      assertThat(answersAt(CommittedRecords.readAll(kafka, Topics.PAGE_GENERATIONS), 31))
          .as("not committed when the job died").isEmpty();

      JobClient second = start(kafka, Duration.ofSeconds(1), latestCheckpoint(first));
      List<GenerationDiff> committed = await(kafka, 60, list -> !answersAt(list, 31).isEmpty());
      assertThat(answersAt(committed, 31)).singleElement()
          .satisfies(a -> assertThat(a.getPagesToSend()).isEqualTo(ON_B.length + 2));
      assertThat(committed).as("no answer twice").extracting(a -> a.getCandidateHostId() + "@" + a.getComputedAt()).doesNotHaveDuplicates();
      assertThat(answersAt(CommittedRecords.readAllWritten(kafka, Topics.PAGE_GENERATIONS), 31))
          .as("written twice, once aborted").hasSize(2);
      second.cancel().get(30, TimeUnit.SECONDS);
      producer.close();
    }
  }

  private JobClient start(KafkaConnection kafka, Duration checkpointInterval, Path restoreFrom) throws Exception {
    GenerationSettings defaults = GenerationSettings.defaults();
    // Answers only when asked, so the test knows each one.
    GenerationSettings settings = new GenerationSettings(defaults.windows(), defaults.ringSize(), defaults.maxImages(),
        defaults.imageRetention(), Duration.ofDays(1), defaults.outOfOrderness(), Duration.ofSeconds(2));
    PipelineSettings pipeline = new PipelineSettings(2, checkpointInterval, false, AnalyticsSettings.defaults().withGenerations(settings),
        CoordinatorSettings.defaults());
    StreamExecutionEnvironment env = LocalFlink.environment(pipeline, dir.resolve("checkpoints"), restoreFrom);
    GenerationsJob.onKafka(kafka, settings).addTo(env);
    return env.executeAsync("generations-it");
  }

  /** The newest complete checkpoint the cancelled job left. */
  private Path latestCheckpoint(JobClient job) throws Exception {
    try (Stream<Path> checkpoints = Files.list(dir.resolve("checkpoints").resolve(job.getJobID().toHexString()))) {
      return checkpoints.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
          .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(4))))
          .orElseThrow(() -> new AssertionError("no retained checkpoint"));
    }
  }

  /** Committed answers for the test VM, once {@code done} holds; ticks event time along at {@code tickSecond} meanwhile. */
  private List<GenerationDiff> await(KafkaConnection kafka, int tickSecond, Predicate<List<GenerationDiff>> done) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      tick(tickSecond);
      List<GenerationDiff> answers = vmAnswers(CommittedRecords.readAll(kafka, Topics.PAGE_GENERATIONS));
      if (done.test(answers)) {
        return answers;
      }
      assertThat(Instant.now()).as("answers seen: " + answers).isBefore(deadline);
    }
  }

  private static List<GenerationDiff> vmAnswers(List<Keyed<GenerationDiff>> read) {
    return read.stream().map(Keyed::value).filter(a -> a.getVmId().equals("vm-rt")).toList();
  }

  private static List<GenerationDiff> answersAt(List<?> read, int second) {
    return read.stream().map(r -> r instanceof Keyed<?> k ? (GenerationDiff) k.value() : (GenerationDiff) r)
        .filter(a -> a.getVmId().equals("vm-rt") && a.getComputedAt().equals(T0.plusSeconds(second))).toList();
  }

  private void placed(String host, long millis) {
    VmInventory vm = VmInventory.newBuilder().setVmId("vm-rt").setHostId(host).setVcpus(1).setMemoryBytes((long) PAGES * 4096)
        .setState(VmState.RUNNING).build();
    send(Topics.INVENTORY, InventoryKeys.vm("vm-rt"), new InventoryRecord(T0.plusMillis(millis), vm), T0.plusMillis(millis));
  }

  /** The pages written on {@code host} in the second that ends at {@code second}. */
  private void written(String host, int second, RoaringBitmap pages) {
    send(Topics.DIRTY_PAGES, "vm-rt", dirty("vm-rt", host, second - 1, second, pages), T0.plusSeconds(second));
  }

  /** A VM of its own writing now and then, so event time moves on while the test waits. */
  private void tick(int second) {
    send(Topics.DIRTY_PAGES, "vm-tick", dirty("vm-tick", "host-z", second - 1, second, new RoaringBitmap()), T0.plusSeconds(second));
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static DirtyPages dirty(String vm, String host, int fromSecond, int toSecond, RoaringBitmap pages) {
    return DirtyPages.newBuilder().setVmId(vm).setHostId(host)
        .setIntervalStart(T0.plusSeconds(fromSecond)).setIntervalEnd(T0.plusSeconds(toSecond))
        .setSource(DirtyPageSource.KVM_DIRTY_LOG).setCollectorEpoch(toSecond).setPageSize(4096).setGuestPhysicalBase(0)
        .setPageCount(PAGES).setDirtyCount(pages.getCardinality()).setBitmap(PageBitmaps.encode(pages)).build();
  }

  private void ask(String host, int second) {
    send(Topics.GENERATION_REQUESTS, "vm-rt", new GenerationRequest("vm-rt", host, T0.plusSeconds(second)), T0.plusSeconds(second));
  }

  private <V extends SpecificRecord> void send(Topic<V> topic, String key, V value, Instant at) {
    RegistryAvroSerializer<V> serializer = new RegistryAvroSerializer<>();
    serializer.configure(registry, false);
    producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), key, serializer.serialize(topic.name(), value)));
    producer.flush();
  }
}
