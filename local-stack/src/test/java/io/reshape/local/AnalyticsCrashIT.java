package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.Action;
import io.reshape.events.Decision;
import io.reshape.events.GenerationDiff;
import io.reshape.events.GenerationRequest;
import io.reshape.events.Plan;
import io.reshape.events.QuantumSample;
import io.reshape.local.CommittedRecords.Keyed;
import io.reshape.planner.CellInputs;
import io.reshape.planner.DecisionIds;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics job, the planner in it, killed, not cancelled: its JVM gets SIGKILL while its
 * exactly-once sinks hold page-generation answers written but not committed, and the planner has
 * made decisions since the last checkpoint; then a new JVM restores the job from the newest
 * checkpoint the dead one left on disk. Every answer the input leads to is then committed exactly
 * once: none lost, none twice. Every decision is there, and the only ones written twice are those
 * the dead job made after its checkpoint, made again under the same ids: the coordinator acts on
 * an id once, so none is applied twice.
 *
 * <p>The input is known in advance, and so is every output: a fleet whose VMs are idle or busy in
 * given seconds, and questions about given VMs and hosts at given times (an answer is known by VM,
 * candidate host and time). The planner plans every 10 s of event time; with no actuator to apply
 * its page-outs, each expires, and every cycle pages out again each VM idle at the time (a
 * decision's id follows from its cycle, action, VM and host). The input is fed in three stretches
 * of event time. The test takes the checkpoints itself and the job takes no other, so what is
 * committed at the kill does not depend on timing: the first stretch's answers are committed, the
 * second's written but not; the third is fed while no job runs.
 *
 * <p>The job runs in an {@link AnalyticsChild}: a JVM of its own (which dies with this one too),
 * RocksDB, checkpoints in a directory of this test, no restart. The restored job runs in a new
 * child started the same way, as a restarted process would run it: nothing of the dead process
 * survives but what it left on disk and in Kafka.
 */
@Timeout(300)
class AnalyticsCrashIT {

  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsCrashIT.class);
  /** On a whole minute, so the planner's cycles (multiples of its cycle, plus its offset) fall on known seconds after it. */
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
  /** Enough pages that no VM writes them all: a VM whose recent writes cover its memory has nothing to page out. */
  private static final int PAGES = 8192;
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** Idle seconds in a row that make a VM IDLE, as the idleness job is set. */
  private static final int IDLE_AFTER_SECONDS = AnalyticsChild.SETTINGS.idleness().enterIdleAfter();

  /** The three stretches of event time the input comes in: seconds after T0, (from, to]. */
  private enum Stretch {
    COMMITTED_BEFORE_THE_KILL(0, 40),
    UNCOMMITTED_AT_THE_KILL(40, 80),
    AFTER_THE_KILL(80, 120);

    final int from;
    final int to;

    Stretch(int from, int to) {
      this.from = from;
      this.to = to;
    }

    boolean holds(int second) {
      return second > from && second <= to;
    }
  }

  /**
   * A VM of one vCPU and whether it is busy in the second that ends at a given second (idle,
   * and writing nothing, otherwise).
   */
  private record Vm(String id, String host, IntPredicate busy) {}

  private static final List<Vm> FLEET = List.of(
      new Vm("vm-1", "host-a", second -> second == 45),
      new Vm("vm-2", "host-a", second -> second == 85),
      new Vm("vm-3", "host-a", second -> false),
      new Vm("vm-4", "host-b", second -> second <= 40 || second == 91),
      new Vm("vm-5", "host-b", second -> second <= 80),
      new Vm("vm-6", "host-b", second -> true));

  /** An output the input leads to: its identity, what it is in words, and its event time in seconds after T0. */
  private record Output(String identity, String label, int second) {}

  /** The planner's cycles, seconds after T0: from the first after the inventory's time, until the input's end. */
  private static final List<Integer> CYCLES = IntStream.iterate(secondsOf(AnalyticsChild.CYCLE_OFFSET),
      second -> second < Stretch.AFTER_THE_KILL.to, second -> second + secondsOf(AnalyticsChild.CYCLE)).boxed().toList();

  /**
   * The fleet's decisions: each cycle pages out each VM idle at its time. A VM turns IDLE once three
   * seconds in a row were idle, and ACTIVE with a busy second; a cycle sees what the seconds up to
   * its own time made of the VM. vm-6, always busy, is never paged out.
   */
  private static final List<Output> DECISIONS = CYCLES.stream()
      .flatMap(cycle -> FLEET.stream().filter(vm -> idleAt(vm, cycle)).map(vm -> pageOut(vm, cycle))).toList();

  /** A question: what moving the VM to the host would cost, asked at a second after T0. */
  private record Request(String vm, String host, int second) {}

  private static final List<Request> REQUESTS = List.of(
      new Request("vm-1", "host-b", 20), new Request("vm-4", "host-c", 25), new Request("vm-6", "host-a", 30),
      new Request("vm-1", "host-b", 60), new Request("vm-2", "host-b", 65), new Request("vm-5", "host-c", 70),
      new Request("vm-4", "host-a", 100), new Request("vm-5", "host-a", 105), new Request("vm-6", "host-c", 110));

  /** Each question is answered once. */
  private static final List<Output> ANSWERS = REQUESTS.stream().map(r -> new Output(answer(r.vm(), r.host(), T0.plusSeconds(r.second())),
      "answer " + r.vm() + " to " + r.host() + " at " + r.second() + " s", r.second())).toList();

  /** The input topics: nothing written to them may be refused, late or otherwise. */
  private static final Set<String> INPUTS =
      Set.of(Topics.INVENTORY.name(), Topics.QUANTA.name(), Topics.DIRTY_PAGES.name(), Topics.GENERATION_REQUESTS.name());

  /** Kept when the test fails: the children's logs and checkpoints. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private KafkaConnection kafka;
  private TopicWriter writer;

  @Test
  void aKilledJobRestoredFromItsNewestCheckpointPublishesEveryDecisionAndAnswerOnce() throws Exception {
    try (LocalStack stack = LocalStack.start(null); TopicWriter topics = new TopicWriter(stack.connection())) {
      kafka = stack.connection();
      writer = topics;
      Path checkpoints = dir.resolve("checkpoints");
      for (String host : List.of("host-a", "host-b")) {
        writer.send(Topics.INVENTORY, InventoryKeys.host(host), InputRecords.host(host, 8, 16L << 30, T0), T0);
      }
      for (Vm vm : FLEET) {
        writer.send(Topics.INVENTORY, InventoryKeys.vm(vm.id()), InputRecords.placed(vm.id(), vm.host(), PAGES, T0), T0);
      }

      Path checkpoint;
      Outputs committedBeforeKill;
      Outputs writtenAtKill;
      try (AnalyticsChild first = AnalyticsChild.start("analytics", kafka, checkpoints, null, dir)) {
        feed(Stretch.COMMITTED_BEFORE_THE_KILL);
        Outputs expected = Outputs.expected(Stretch.COMMITTED_BEFORE_THE_KILL);
        await(first, "the first stretch's outputs written", () -> Outputs.written(kafka), expected);
        checkpoint = first.job().checkpoint();
        committedBeforeKill = await(first, "the first stretch's outputs committed", () -> Outputs.committed(kafka), expected);
        committedBeforeKill.assertSame(expected, "committed by the checkpoint");

        feed(Stretch.UNCOMMITTED_AT_THE_KILL);
        Outputs bothStretches = Outputs.expected(Stretch.COMMITTED_BEFORE_THE_KILL, Stretch.UNCOMMITTED_AT_THE_KILL);
        writtenAtKill = await(first, "the second stretch's outputs written", () -> Outputs.written(kafka), bothStretches);
        writtenAtKill.assertSame(bothStretches, "written before the kill");
        Outputs.committed(kafka).assertSame(new Outputs(bothStretches.decisions(), expected.answers()),
            "committed at the kill: decisions as made, answers as of the first checkpoint");
        assertThat(first.kill()).as("the exit status of a JVM that SIGKILL (9) ended: 128 + 9").isEqualTo(137);
        LOG.info("Killed the analytics JVM");
      }

      feed(Stretch.AFTER_THE_KILL);
      Path newest = newestRetained(checkpoints);
      assertThat(newest).as("the newest checkpoint on disk").isEqualTo(checkpoint);
      LOG.info("Restoring from {}", newest);
      try (AnalyticsChild restored = AnalyticsChild.start("restored", kafka, checkpoints, newest, dir)) {
        Outputs all = Outputs.expected(Stretch.values());
        Outputs committed = await(restored, "every output committed", () -> {
          restored.job().checkpoint();
          return Outputs.committed(kafka);
        }, all);
        Outputs madeAfterTheCheckpoint = Outputs.expected(Stretch.UNCOMMITTED_AT_THE_KILL);
        committed.minus(all).assertSame(new Outputs(madeAfterTheCheckpoint.decisions(), List.of()),
            "committed in the end, less each expected once: only the decisions made after the checkpoint, made again");

        Outputs written = Outputs.written(kafka);
        Outputs aborted = written.minus(committed);
        aborted.assertSame(writtenAtKill.minus(committedBeforeKill).minus(madeAfterTheCheckpoint.decisionsOnly()),
            "written and not committed: the answers the kill left uncommitted, aborted");
        assertThat(CommittedRecords.readAll(kafka, Topics.DEAD_LETTERS)).extracting(Keyed::value)
            .as("dead letters of the input").filteredOn(letter -> INPUTS.contains(letter.getSourceTopic())).isEmpty();
        LOG.info("Committed before the kill: {} decisions and {} answers; answers aborted by the kill: {}; decisions made again "
                + "after the restore: {}; committed after the restore: {} decisions and {} answers", committedBeforeKill.decisions().size(),
            committedBeforeKill.answers().size(), aborted.answers().size(), madeAfterTheCheckpoint.decisions().size(),
            committed.decisions().size() - committedBeforeKill.decisions().size(),
            committed.answers().size() - committedBeforeKill.answers().size());
      }
    }
  }

  /** Writes the fleet's quanta and dirty pages, and the questions, of every second of a stretch, in event-time order. */
  private void feed(Stretch stretch) {
    for (int second = stretch.from + 1; second <= stretch.to; second++) {
      Instant start = T0.plusSeconds(second - 1);
      Instant end = T0.plusSeconds(second);
      for (Vm vm : FLEET) {
        boolean busy = vm.busy().test(second);
        writer.send(Topics.QUANTA, vm.id(), quantum(vm, start, end, busy), end);
        RoaringBitmap pages = busy ? RoaringBitmap.bitmapOfRange(second * 64L % PAGES, second * 64L % PAGES + 64) : new RoaringBitmap();
        writer.send(Topics.DIRTY_PAGES, vm.id(), InputRecords.dirtyPages(vm.id(), vm.host(), start, end, PAGES, pages), end);
      }
      for (Request request : REQUESTS) {
        if (request.second() == second) {
          writer.send(Topics.GENERATION_REQUESTS, request.vm(), new GenerationRequest(request.vm(), request.host(), end), end);
        }
      }
    }
    writer.flush();
  }

  /** A busy second runs 80% of the time; an idle one 0.2%, and halted for the rest. */
  private static QuantumSample quantum(Vm vm, Instant start, Instant end, boolean busy) {
    long second = Duration.ofSeconds(1).toNanos();
    long run = busy ? second * 8 / 10 : second / 500;
    return QuantumSample.newBuilder().setVmId(vm.id()).setHostId(vm.host()).setVcpu(0).setIntervalStart(start).setIntervalEnd(end)
        .setRunNs(run).setRunqueueWaitNs(0).setHaltNs(second - run).setHaltExits(busy ? 50L : 1000L)
        .setVoluntarySwitches(busy ? 50 : 1000).setInvoluntarySwitches(busy ? 200 : 0).build();
  }

  /**
   * Reads until {@code expected} is among what {@code read} returns, which must not include more of
   * it (checked by the caller); fails when the child dies or the wait is over.
   */
  private Outputs await(AnalyticsChild child, String what, Callable<Outputs> read, Outputs expected) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      Outputs seen = read.call();
      if (seen.includes(expected)) {
        LOG.info("Seen {}", what);
        return seen;
      }
      assertThat(child.isAlive()).as("the child is alive; its log ends:\n" + child.logTail()).isTrue();
      assertThat(Instant.now()).as(() -> what + " within " + WAIT.toSeconds() + " s; missing " + seen.missing(expected)
          + "; the planner's last plans:\n" + lastPlans()).isBefore(deadline);
      Thread.sleep(200);
    }
  }

  /** What the planner said of its last cycles, and the idleness it was told of, in words. */
  private String lastPlans() {
    List<Plan> plans = CommittedRecords.readAll(kafka, Topics.PLANS).stream().map(Keyed::value).toList();
    String idleness = CommittedRecords.readAllWritten(kafka, Topics.IDLENESS).stream().map(Keyed::value)
        .map(i -> i.getVmId() + " " + i.getState() + " since " + Duration.between(T0, i.getStateSince()).toSeconds() + " s")
        .collect(Collectors.joining(", "));
    return plans.subList(Math.max(0, plans.size() - 3), plans.size()).stream()
        .map(p -> p.getPlannedAt() + ": " + p.getSummary() + "; " + p.getNotChosen()).collect(Collectors.joining("\n"))
        + "\nidleness written: " + idleness;
  }

  /** The newest checkpoint with its metadata written, of any job that used {@code checkpoints}. */
  private static Path newestRetained(Path checkpoints) throws Exception {
    try (Stream<Path> found = Files.find(checkpoints, 2,
        (path, attributes) -> path.getFileName().toString().startsWith("chk-") && Files.exists(path.resolve("_metadata")))) {
      List<Path> retained = found.toList();
      Path newest = null;
      FileTime newestTime = null;
      for (Path path : retained) {
        FileTime time = Files.getLastModifiedTime(path.resolve("_metadata"));
        if (newestTime == null || time.compareTo(newestTime) > 0) {
          newest = path;
          newestTime = time;
        }
      }
      assertThat(newest).as("a retained checkpoint in " + checkpoints).isNotNull();
      return newest;
    }
  }

  /** Whether the VM is IDLE at the end of the second that ends at {@code second}: its last three seconds, at least, were idle. */
  private static boolean idleAt(Vm vm, int second) {
    int lastBusy = IntStream.rangeClosed(1, second).filter(vm.busy()).max().orElse(0);
    return second - lastBusy >= IDLE_AFTER_SECONDS;
  }

  private static Output pageOut(Vm vm, int second) {
    return new Output(DecisionIds.of(CellInputs.DEFAULT_CELL, T0.plusSeconds(second), Action.PAGE_OUT, vm.id(), vm.host(), null),
        "page out " + vm.id() + " at " + second + " s", second);
  }

  private static int secondsOf(Duration duration) {
    return Math.toIntExact(duration.toSeconds());
  }

  private static String answer(String vm, String host, Instant computedAt) {
    return vm + " to " + host + " at " + computedAt;
  }

  /** Decisions and answers by identity, as often as each was seen. */
  private record Outputs(List<String> decisions, List<String> answers) {

    static Outputs expected(Stretch... stretches) {
      Predicate<Output> inStretches = output -> Arrays.stream(stretches).anyMatch(s -> s.holds(output.second()));
      return new Outputs(DECISIONS.stream().filter(inStretches).map(Output::identity).toList(),
          ANSWERS.stream().filter(inStretches).map(Output::identity).toList());
    }

    /** What a downstream reader sees. */
    static Outputs committed(KafkaConnection kafka) {
      return of(CommittedRecords.readAll(kafka, Topics.DECISIONS), CommittedRecords.readAll(kafka, Topics.PAGE_GENERATIONS));
    }

    /** Everything written, committed or not. */
    static Outputs written(KafkaConnection kafka) {
      return of(CommittedRecords.readAllWritten(kafka, Topics.DECISIONS), CommittedRecords.readAllWritten(kafka, Topics.PAGE_GENERATIONS));
    }

    private static Outputs of(List<Keyed<Decision>> decisions, List<Keyed<GenerationDiff>> answers) {
      return new Outputs(decisions.stream().map(d -> d.value().getDecisionId()).toList(),
          answers.stream().map(Keyed::value).map(a -> answer(a.getVmId(), a.getCandidateHostId(), a.getComputedAt())).toList());
    }

    /** The expected outputs not seen, in words. */
    List<String> missing(Outputs expected) {
      return Stream.concat(DECISIONS.stream(), ANSWERS.stream())
          .filter(o -> expected.decisions.contains(o.identity()) && !decisions.contains(o.identity())
              || expected.answers.contains(o.identity()) && !answers.contains(o.identity()))
          .map(Output::label).toList();
    }

    Outputs decisionsOnly() {
      return new Outputs(decisions, List.of());
    }

    boolean includes(Outputs other) {
      return decisions.containsAll(other.decisions) && answers.containsAll(other.answers);
    }

    /** Each identity as often as here, less as often as in {@code other}. */
    Outputs minus(Outputs other) {
      return new Outputs(minus(decisions, other.decisions), minus(answers, other.answers));
    }

    private static List<String> minus(List<String> these, Collection<String> those) {
      List<String> left = new ArrayList<>(these);
      those.forEach(left::remove);
      return left;
    }

    /** The same identities as {@code expected}, each as often. */
    void assertSame(Outputs expected, String what) {
      assertThat(decisions).as("decisions " + what).containsExactlyInAnyOrderElementsOf(expected.decisions);
      assertThat(answers).as("answers " + what).containsExactlyInAnyOrderElementsOf(expected.answers);
    }
  }
}
