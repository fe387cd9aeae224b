package io.reshape.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.executor.CommandJournal;
import io.reshape.actuator.executor.Driver;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.actuator.executor.ExecutorSettings;
import io.reshape.actuator.executor.ExecutorTopology;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's topology in a {@link TopologyTestDriver}: each command reaches the driver at most
 * once, across redeliveries, restarts and replays from the earliest offset.
 */
@Timeout(120)
class ExecutorTopologyTest {

  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir
  Path dir;

  private final CountingDriver driver = new CountingDriver();
  private final SettableClock clock = new SettableClock(T);

  private static HostCommand command(String id, String host) {
    return command(id, host, T.plusSeconds(300));
  }

  private static HostCommand command(String id, String host, Instant deadline) {
    return HostCommand.newBuilder().setCommandId(id).setDecisionId(id.split("@")[0]).setHostId(host)
        .setAction(Action.PAGE_OUT).setVmId("vm-1").setDecidedAt(T).setDeadline(deadline).build();
  }

  /**
   * Runs the executor on {@code commands} from a fresh consumer position, with a journal that
   * outlives the run, like a restart would.
   */
  private List<Actuation> run(Set<String> hosts, Driver with, HostCommand... commands) {
    ExecutorSettings settings = ExecutorSettings.of(hosts, dir.resolve("journal"));
    try (CommandJournal journal = CommandJournal.open(settings.journalDirectory(), settings.journalRetention(), clock.instant());
         TopologyTestDriver streams = new TopologyTestDriver(
             ExecutorTopology.build(TopologyTestSupport.REGISTRY, settings, journal, with, clock),
             TopologyTestSupport.config(settings.applicationId(), dir.resolve("state")))) {
      TopologyTestSupport topics = new TopologyTestSupport(streams);
      for (HostCommand command : commands) {
        topics.input(Topics.COMMANDS).pipeInput(command.getHostId(), command, T);
      }
      TestOutputTopic<String, Actuation> actuations = topics.output(Topics.ACTUATIONS);
      return actuations.readValuesToList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void appliesACommandThroughTheDriverAndReportsIt() {
    List<Actuation> out = run(Set.of(), driver, command("d1@host-1", "host-1"));
    assertThat(driver.applied()).containsExactly("d1@host-1");
    assertThat(out).singleElement().satisfies(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.DRY_RUN);
      assertThat(a.getDriver()).isEqualTo("dry-run");
      assertThat(a.getDetail()).isEqualTo("Would page out VM vm-1 on host-1");
      assertThat(a.getDecisionId()).isEqualTo("d1");
      assertThat(a.getStartedAt()).isEqualTo(T);
    });
  }

  @Test
  void aCommandDeliveredAgainIsReportedAgainButNotAppliedAgain() {
    Actuation first = run(Set.of(), driver, command("d1@host-1", "host-1")).get(0);
    // The executor restarts (same journal) and Kafka delivers the command again.
    List<Actuation> again = run(Set.of(), driver, command("d1@host-1", "host-1"));
    assertThat(driver.applied()).containsExactly("d1@host-1");
    assertThat(again).containsExactly(first);
  }

  @Test
  void aCommandInterruptedInTheDriverIsInDoubtAndNeverRetried() throws Exception {
    try (CommandJournal journal = CommandJournal.open(dir.resolve("journal"), Topics.DECISION_MEMORY, T)) {
      journal.begun("d2@host-1", T, T.minusSeconds(5));
    }
    List<Actuation> out = run(Set.of(), driver, command("d2@host-1", "host-1"));
    assertThat(driver.applied()).isEmpty();
    assertThat(out).singleElement().satisfies(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.IN_DOUBT);
      assertThat(a.getStartedAt()).isEqualTo(T.minusSeconds(5));
    });
  }

  @Test
  void aCommandPastItsDeadlineExpiresWithoutTheDriver() {
    List<Actuation> out = run(Set.of(), driver, command("d3@host-1", "host-1", T.minusSeconds(1)));
    assertThat(driver.applied()).isEmpty();
    assertThat(out).extracting(Actuation::getOutcome).containsExactly(Outcome.EXPIRED);
  }

  @Test
  void anExecutorAppliesOnlyItsOwnHostsCommands() {
    List<Actuation> out = run(Set.of("host-1"), driver, command("d4@host-2", "host-2"), command("d5@host-1", "host-1"));
    assertThat(driver.applied()).containsExactly("d5@host-1");
    assertThat(out).extracting(Actuation::getCommandId).containsExactly("d5@host-1");
  }

  @Test
  void aDriverThatFailsIsReportedAsFailed() {
    Driver broken = new Driver() {
      @Override
      public String name() {
        return "qmp";
      }

      @Override
      public DriverResult apply(HostCommand command) throws Exception {
        throw new java.io.IOException("QMP socket /run/vm-1.qmp refused the connection");
      }
    };
    List<Actuation> out = run(Set.of(), broken, command("d6@host-1", "host-1"));
    assertThat(out).singleElement().satisfies(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.FAILED);
      assertThat(a.getDriver()).isEqualTo("qmp");
      assertThat(a.getDetail()).contains("refused the connection");
    });
  }

  @Test
  void commandsReplayedFromTheFirstOffsetAfterTheJournalForgotThemAreNeverAppliedAgain() {
    HostCommand[] all = {command("d7@host-1", "host-1", T.plus(Duration.ofDays(30))), command("d8@host-1", "host-1")};
    assertThat(run(Set.of(), driver, all)).extracting(Actuation::getOutcome).containsExactly(Outcome.DRY_RUN, Outcome.DRY_RUN);

    // A week and a day later the journal has forgotten both; a new consumer group reads the topic from offset 0.
    clock.advance(Topics.DECISION_MEMORY.plusDays(1));
    try (CommandJournal journal = CommandJournal.open(dir.resolve("journal"), Topics.DECISION_MEMORY, clock.instant())) {
      assertThat(journal.find("d7@host-1")).isEmpty();
      assertThat(journal.find("d8@host-1")).isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Actuation> replayed = run(Set.of(), driver, all);

    assertThat(driver.applied()).as("each applied once, in the first run").containsExactly("d7@host-1", "d8@host-1");
    assertThat(replayed).allSatisfy(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.EXPIRED);
      assertThat(a.getDetail()).contains("longer ago than the 7 days this executor's journal remembers");
      assertThat(a.getStartedAt()).isNull();
    });
  }

  @Test
  void aCommandWithAnActionANewerSchemaAddedIsRejectedWithoutTheDriver() {
    HostCommand newer = HostCommand.newBuilder(command("d9@host-1", "host-1")).setAction(Action.UNKNOWN).build();
    assertThat(run(Set.of(), driver, newer)).singleElement().satisfies(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.REJECTED);
      assertThat(a.getDetail()).contains("does not know");
    });
    assertThat(driver.applied()).isEmpty();
  }
}
