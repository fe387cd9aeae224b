package io.reshape.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.executor.CommandJournal;
import io.reshape.actuator.executor.Driver;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.actuator.executor.DryRunDriver;
import io.reshape.actuator.executor.ExecutorSettings;
import io.reshape.actuator.executor.ExecutorTopology;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.local.SharedRegistry;
import io.reshape.schemas.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's topology in a {@link TopologyTestDriver}: each command reaches the driver at most
 * once, across redeliveries and restarts.
 */
@Timeout(120)
class ExecutorTopologyIT {

  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir
  Path dir;

  /** The dry-run driver, counting what reaches it. */
  private static final class CountingDriver implements Driver {
    final List<String> applied = new ArrayList<>();
    private final DryRunDriver dryRun = new DryRunDriver();

    @Override
    public String name() {
      return dryRun.name();
    }

    @Override
    public DriverResult apply(HostCommand command) {
      applied.add(command.getCommandId());
      return dryRun.apply(command);
    }
  }

  private final CountingDriver driver = new CountingDriver();

  private static HostCommand command(String id, String host, Instant deadline) {
    return HostCommand.newBuilder().setCommandId(id).setDecisionId(id.split("@")[0]).setHostId(host)
        .setAction(Action.PAGE_OUT).setVmId("vm-1").setDecidedAt(T).setDeadline(deadline).build();
  }

  /** Runs the executor on {@code commands} with a journal that outlives the run, like a restart would. */
  private List<Actuation> run(Set<String> hosts, Driver with, HostCommand... commands) throws Exception {
    ExecutorSettings settings = new ExecutorSettings(hosts, dir.resolve("journal"), Duration.ofDays(7));
    try (CommandJournal journal = CommandJournal.open(settings.journalDirectory(), settings.journalRetention(), T);
         TopologyTestDriver streams = new TopologyTestDriver(
             ExecutorTopology.build(SharedRegistry.config(), settings, journal, with, Clock.fixed(T, ZoneOffset.UTC)),
             TopologyTestSupport.config(settings.applicationId(), dir.resolve("state")))) {
      TopologyTestSupport topics = new TopologyTestSupport(streams, SharedRegistry.config());
      for (HostCommand command : commands) {
        topics.input(Topics.COMMANDS).pipeInput(command.getHostId(), command, T);
      }
      TestOutputTopic<String, Actuation> actuations = topics.output(Topics.ACTUATIONS);
      return actuations.readValuesToList();
    }
  }

  @Test
  void appliesACommandThroughTheDriverAndReportsIt() throws Exception {
    List<Actuation> out = run(Set.of(), driver, command("d1@host-1", "host-1", null));
    assertThat(driver.applied).containsExactly("d1@host-1");
    assertThat(out).singleElement().satisfies(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.DRY_RUN);
      assertThat(a.getDriver()).isEqualTo("dry-run");
      assertThat(a.getDetail()).isEqualTo("Would page out VM vm-1 on host-1");
      assertThat(a.getDecisionId()).isEqualTo("d1");
      assertThat(a.getStartedAt()).isEqualTo(T);
    });
  }

  @Test
  void aCommandDeliveredAgainIsReportedAgainButNotAppliedAgain() throws Exception {
    Actuation first = run(Set.of(), driver, command("d1@host-1", "host-1", null)).get(0);
    // The executor restarts (same journal) and Kafka delivers the command again.
    List<Actuation> again = run(Set.of(), driver, command("d1@host-1", "host-1", null));
    assertThat(driver.applied).containsExactly("d1@host-1");
    assertThat(again).containsExactly(first);
  }

  @Test
  void aCommandInterruptedInTheDriverIsInDoubtAndNeverRetried() throws Exception {
    try (CommandJournal journal = CommandJournal.open(dir.resolve("journal"), Duration.ofDays(7), T)) {
      journal.begun("d2@host-1", T.minusSeconds(5));
    }
    List<Actuation> out = run(Set.of(), driver, command("d2@host-1", "host-1", null));
    assertThat(driver.applied).isEmpty();
    assertThat(out).singleElement().satisfies(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.IN_DOUBT);
      assertThat(a.getStartedAt()).isEqualTo(T.minusSeconds(5));
    });
  }

  @Test
  void aCommandPastItsDeadlineExpiresWithoutTheDriver() throws Exception {
    List<Actuation> out = run(Set.of(), driver, command("d3@host-1", "host-1", T.minusSeconds(1)));
    assertThat(driver.applied).isEmpty();
    assertThat(out).extracting(Actuation::getOutcome).containsExactly(Outcome.EXPIRED);
  }

  @Test
  void anExecutorAppliesOnlyItsOwnHostsCommands() throws Exception {
    List<Actuation> out = run(Set.of("host-1"), driver, command("d4@host-2", "host-2", null), command("d5@host-1", "host-1", null));
    assertThat(driver.applied).containsExactly("d5@host-1");
    assertThat(out).extracting(Actuation::getCommandId).containsExactly("d5@host-1");
  }

  @Test
  void aDriverThatFailsIsReportedAsFailed() throws Exception {
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
    List<Actuation> out = run(Set.of(), broken, command("d6@host-1", "host-1", null));
    assertThat(out).singleElement().satisfies(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.FAILED);
      assertThat(a.getDriver()).isEqualTo("qmp");
      assertThat(a.getDetail()).contains("refused the connection");
    });
  }
}
