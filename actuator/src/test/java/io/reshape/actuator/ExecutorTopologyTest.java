package io.reshape.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reshape.actuator.executor.ActuationMeters;
import io.reshape.actuator.executor.CommandJournal;
import io.reshape.actuator.executor.CommandWorker;
import io.reshape.actuator.executor.Driver;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.actuator.executor.Drivers;
import io.reshape.actuator.executor.ExecutorSettings;
import io.reshape.actuator.executor.ExecutorTopology;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's topology in a {@link TopologyTestDriver} with its worker: each command reaches the
 * driver at most once, across redeliveries, restarts and replays from the earliest offset, and its
 * outcome is reported once it is settled.
 */
@Timeout(120)
class ExecutorTopologyTest {

  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir
  Path dir;

  private final CountingDriver driver = new CountingDriver();
  private final SettableClock clock = new SettableClock(T);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ActuationMeters actuationMeters = new ActuationMeters(meters);

  /** What one run of the executor produced: the topology's refusals and the worker's reports. */
  private record Run(List<Actuation> refused, List<Actuation> reports) {

    List<Outcome> reported() {
      return reports.stream().map(Actuation::getOutcome).toList();
    }

    Actuation last() {
      return reports.get(reports.size() - 1);
    }
  }

  private static HostCommand command(String id, String host) {
    return command(id, host, T.plusSeconds(300));
  }

  private static HostCommand command(String id, String host, Instant deadline) {
    return HostCommand.newBuilder().setCommandId(id).setDecisionId(id.split("@")[0]).setHostId(host)
        .setAction(Action.PAGE_OUT).setVmId("vm-1").setDecidedAt(T).setDeadline(deadline).build();
  }

  /**
   * Runs the executor on {@code commands} from a fresh consumer position, with a journal that
   * outlives the run, like a restart would: the worker settles what an earlier run left, the
   * topology takes the commands on, and the worker carries out what was accepted.
   */
  private Run run(Set<String> hosts, Driver with, HostCommand... commands) throws Exception {
    ExecutorSettings settings = ExecutorSettings.of(hosts, dir.resolve("journal"));
    List<Actuation> reports = new CopyOnWriteArrayList<>();
    Queue<Runnable> lanes = new ArrayDeque<>();
    try (CommandJournal journal = CommandJournal.open(settings.journalDirectory(), settings.journalRetention(), clock.instant());
         CommandWorker worker = new CommandWorker(journal, Drivers.only(with), published(reports), actuationMeters, clock, lanes::add);
         TopologyTestDriver streams = new TopologyTestDriver(
             ExecutorTopology.build(TopologyTestSupport.REGISTRY, settings, journal, worker, actuationMeters, clock),
             TopologyTestSupport.config(settings.applicationId(), dir.resolve("state"), meters))) {
      worker.recover();
      TopologyTestSupport topics = new TopologyTestSupport(streams);
      for (HostCommand command : commands) {
        topics.input(Topics.COMMANDS).pipeInput(command.getHostId(), command, T);
      }
      for (Runnable lane; (lane = lanes.poll()) != null; ) {
        lane.run();
      }
      return new Run(topics.output(Topics.ACTUATIONS).readValuesToList(), List.copyOf(reports));
    }
  }

  /** Reports that reach Kafka at once. */
  private static CommandWorker.Reports published(List<Actuation> into) {
    return actuation -> {
      into.add(actuation);
      return CompletableFuture.completedFuture(null);
    };
  }

  @Test
  void aCommandIsCarriedOutByTheWorkerOutsideTheTransactionAndReported() throws Exception {
    Run run = run(Set.of(), driver, command("d1@host-1", "host-1"));
    assertThat(driver.applied()).containsExactly("d1@host-1");
    assertThat(run.refused()).as("the topology only takes it on").isEmpty();
    assertThat(run.reported()).containsExactly(Outcome.STARTED, Outcome.DRY_RUN);
    assertThat(run.last()).satisfies(a -> {
      assertThat(a.getDriver()).isEqualTo("dry-run");
      assertThat(a.getDetail()).isEqualTo("Would page out VM vm-1 on host-1");
      assertThat(a.getDecisionId()).isEqualTo("d1");
      assertThat(a.getStartedAt()).isEqualTo(T);
    });
    assertThat(meters.get("reshape.actuations").tags("action", "PAGE_OUT", "outcome", "DRY_RUN", "driver", "dry-run", "dry_run", "true")
        .counter().count()).isEqualTo(1);
    assertThat(meters.get("reshape.decision.to.outcome").tag("action", "PAGE_OUT").timer().count()).isEqualTo(1);
  }

  @Test
  void aCommandDeliveredAgainIsNotTakenOnAgain() throws Exception {
    run(Set.of(), driver, command("d1@host-1", "host-1"));
    // The executor restarts (same journal) and Kafka delivers the command again.
    Run again = run(Set.of(), driver, command("d1@host-1", "host-1"));
    assertThat(driver.applied()).containsExactly("d1@host-1");
    assertThat(again.refused()).isEmpty();
    assertThat(again.reports()).isEmpty();
  }

  @Test
  void aCommandInterruptedInTheDriverIsSettledFromTheHostAndNeverRunAgain() throws Exception {
    try (CommandJournal journal = CommandJournal.open(dir.resolve("journal"), Topics.DECISION_MEMORY, T)) {
      journal.accepted(command("d2@host-1", "host-1"), T.minusSeconds(6));
      journal.begun("d2@host-1", T, T.minusSeconds(5));
    }
    Run run = run(Set.of(), driver, command("d2@host-1", "host-1"));
    assertThat(driver.applied()).isEmpty();
    assertThat(run.reports()).singleElement().satisfies(a -> {
      assertThat(a.getOutcome()).as("a dry run changed nothing, whenever it stopped").isEqualTo(Outcome.DRY_RUN);
      assertThat(a.getDetail()).startsWith("Settled after the executor stopped while applying it: Would page out");
      assertThat(a.getStartedAt()).isEqualTo(T.minusSeconds(5));
    });
  }

  @Test
  void aCommandInterruptedInADriverThatCannotTellIsInDoubt() throws Exception {
    try (CommandJournal journal = CommandJournal.open(dir.resolve("journal"), Topics.DECISION_MEMORY, T)) {
      journal.accepted(command("d2@host-1", "host-1"), T.minusSeconds(6));
      journal.begun("d2@host-1", T, T.minusSeconds(5));
    }
    Run run = run(Set.of(), new Stuck(), command("d2@host-1", "host-1"));
    assertThat(run.reported()).containsExactly(Outcome.IN_DOUBT);
    assertThat(run.last().getDetail()).contains("cannot tell from the host whether it took effect");
  }

  @Test
  void anOutcomeThatMayNotHaveReachedKafkaIsReportedAgainAndNothingIsApplied() throws Exception {
    try (CommandJournal journal = CommandJournal.open(dir.resolve("journal"), Topics.DECISION_MEMORY, T)) {
      journal.accepted(command("d3@host-1", "host-1"), T);
      journal.begun("d3@host-1", T, T);
      journal.finished("d3@host-1", T, Outcome.APPLIED, "qmp", "paged 2 GiB out", T.plusSeconds(3));
    }
    Run run = run(Set.of(), driver);
    assertThat(driver.applied()).isEmpty();
    assertThat(run.reports()).singleElement().satisfies(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.APPLIED);
      assertThat(a.getDetail()).isEqualTo("paged 2 GiB out");
    });
    assertThat(run(Set.of(), driver).reports()).as("once it is on Kafka, never again").isEmpty();
  }

  @Test
  void aCommandThatOutlivesItsDeadlineInTheDriverIsStoppedAndReconciled() throws Exception {
    Run run = run(Set.of(), new Stuck(), command("d4@host-1", "host-1", T.plusMillis(300)));
    assertThat(run.reported()).containsExactly(Outcome.STARTED, Outcome.FAILED);
    assertThat(run.last().getDetail()).startsWith("Settled after it reached its deadline")
        .endsWith("the migration was cancelled, the VM runs on host-1");
  }

  @Test
  void theDriversProgressIsReportedOnTheWay() throws Exception {
    Driver halfway = new Driver() {
      @Override
      public String name() {
        return "qmp";
      }

      @Override
      public DriverResult apply(HostCommand command, Progress progress) {
        progress.report(0.5, "1 GiB of 2 sent");
        return new DriverResult(Outcome.APPLIED, "migrated");
      }
    };
    Run run = run(Set.of(), halfway, command("d5@host-1", "host-1"));
    assertThat(run.reported()).containsExactly(Outcome.STARTED, Outcome.IN_PROGRESS, Outcome.APPLIED);
    assertThat(run.reports().get(1).getProgress()).isEqualTo(0.5);
    assertThat(run.reports().get(1).getDetail()).isEqualTo("1 GiB of 2 sent");
  }

  @Test
  void aCommandPastItsDeadlineOnArrivalExpiresWithoutTheDriver() throws Exception {
    Run run = run(Set.of(), driver, command("d6@host-1", "host-1", T.minusSeconds(1)));
    assertThat(driver.applied()).isEmpty();
    assertThat(run.refused()).singleElement().satisfies(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.EXPIRED);
      assertThat(a.getDriver()).isEqualTo(Actuations.EXECUTOR);
    });
    assertThat(run(Set.of(), driver, command("d6@host-1", "host-1", T.minusSeconds(1))).refused())
        .as("delivered again, refused again: the first report may have been undone with its transaction")
        .extracting(Actuation::getOutcome).containsExactly(Outcome.EXPIRED);
    assertThat(meters.get("reshape.actuations").tags("action", "PAGE_OUT", "outcome", "EXPIRED", "driver", "executor", "dry_run", "false")
        .counter().count()).as("settled once").isEqualTo(1);
  }

  @Test
  void aCommandAcceptedButNotBegunBeforeARestartRunsAfterItOrExpiresIfItsDeadlinePassed() throws Exception {
    try (CommandJournal journal = CommandJournal.open(dir.resolve("journal"), Topics.DECISION_MEMORY, T)) {
      journal.accepted(command("d13@host-1", "host-1", T.plusSeconds(600)), T);
      journal.accepted(command("d14@host-1", "host-1", T.plusSeconds(60)), T);
    }
    clock.advance(Duration.ofSeconds(120));
    Run run = run(Set.of(), driver);
    assertThat(driver.applied()).containsExactly("d13@host-1");
    assertThat(run.reports()).extracting(a -> a.getCommandId() + " " + a.getOutcome())
        .containsExactly("d13@host-1 STARTED", "d13@host-1 DRY_RUN", "d14@host-1 EXPIRED");
    assertThat(run.last().getDetail()).contains("passed while the command waited");
  }

  @Test
  void anExecutorAppliesOnlyItsOwnHostsCommands() throws Exception {
    Run run = run(Set.of("host-1"), driver, command("d7@host-2", "host-2"), command("d8@host-1", "host-1"));
    assertThat(driver.applied()).containsExactly("d8@host-1");
    assertThat(run.reports()).extracting(Actuation::getCommandId).containsOnly("d8@host-1");
  }

  @Test
  void aDriverThatFailsIsReportedAsFailed() throws Exception {
    Driver broken = new Driver() {
      @Override
      public String name() {
        return "qmp";
      }

      @Override
      public DriverResult apply(HostCommand command, Progress progress) throws Exception {
        throw new java.io.IOException("QMP socket /run/vm-1.qmp refused the connection");
      }
    };
    Run run = run(Set.of(), broken, command("d9@host-1", "host-1"));
    assertThat(run.reported()).containsExactly(Outcome.STARTED, Outcome.FAILED);
    assertThat(run.last().getDriver()).isEqualTo("qmp");
    assertThat(run.last().getDetail()).contains("refused the connection");
  }

  @Test
  void commandsReplayedFromTheFirstOffsetAfterTheJournalForgotThemAreNeverAppliedAgain() throws Exception {
    HostCommand[] all = {command("d10@host-1", "host-1", T.plus(Duration.ofDays(30))), command("d11@host-1", "host-1")};
    assertThat(run(Set.of(), driver, all).reported())
        .containsExactly(Outcome.STARTED, Outcome.DRY_RUN, Outcome.STARTED, Outcome.DRY_RUN);

    // A week and a day later the journal has forgotten both; a new consumer group reads the topic from offset 0.
    clock.advance(Topics.DECISION_MEMORY.plusDays(1));
    try (CommandJournal journal = CommandJournal.open(dir.resolve("journal"), Topics.DECISION_MEMORY, clock.instant())) {
      assertThat(journal.find("d10@host-1")).isEmpty();
      assertThat(journal.find("d11@host-1")).isEmpty();
    }
    Run replayed = run(Set.of(), driver, all);

    assertThat(driver.applied()).as("each applied once, in the first run").containsExactly("d10@host-1", "d11@host-1");
    assertThat(replayed.reports()).isEmpty();
    assertThat(replayed.refused()).hasSize(2).allSatisfy(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.EXPIRED);
      assertThat(a.getDetail()).contains("longer ago than the 7 days this executor's journal remembers");
      assertThat(a.getStartedAt()).isNull();
    });
  }

  @Test
  void aCommandWithAnActionANewerSchemaAddedIsRejectedWithoutTheDriver() throws Exception {
    HostCommand newer = HostCommand.newBuilder(command("d12@host-1", "host-1")).setAction(Action.UNKNOWN).build();
    assertThat(run(Set.of(), driver, newer).refused()).singleElement().satisfies(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.REJECTED);
      assertThat(a.getDetail()).contains("does not know");
    });
    assertThat(driver.applied()).isEmpty();
  }

  /** A migration that never converges by itself: it runs until stopped, and the host then shows it cancelled. */
  private static final class Stuck implements Driver {

    @Override
    public String name() {
      return "qmp";
    }

    @Override
    public DriverResult apply(HostCommand command, Progress progress) throws InterruptedException {
      Thread.sleep(Duration.ofMinutes(5).toMillis());
      return new DriverResult(Outcome.APPLIED, "converged after all");
    }

    @Override
    public DriverResult reconcile(HostCommand command) throws Exception {
      if (command.getCommandId().equals("d2@host-1")) {
        return Driver.super.reconcile(command);
      }
      return new DriverResult(Outcome.FAILED, "the migration was cancelled, the VM runs on " + command.getHostId());
    }
  }
}
