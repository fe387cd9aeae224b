package io.reshape.actuator.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.schemas.Outcomes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The worker on threads of its own: lanes per VM, a lane that survives a broken driver, outcomes that reach Kafka. */
@Timeout(60)
class CommandWorkerTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private final Clock clock = Clock.systemUTC();
  private final List<Actuation> published = new CopyOnWriteArrayList<>();
  /** Commands whose driver is held until released. */
  private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
  private final List<String> begun = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private static final long PAGED_OUT = 3L << 20;

  private final Driver driver = new Driver() {
    @Override
    public String name() {
      return "test";
    }

    @Override
    public DriverResult apply(HostCommand command, Progress progress) throws InterruptedException {
      begun.add(command.getCommandId());
      CountDownLatch release = held.get(command.getCommandId());
      if (release != null) {
        release.await();
      }
      if (command.getCommandId().startsWith("broken")) {
        throw new IllegalStateException("no such VM in the driver's table");
      }
      return new DriverResult(Outcome.APPLIED, "done", PAGED_OUT);
    }
  };

  private HostCommand command(String id, String vm) {
    Instant now = clock.instant();
    return HostCommand.newBuilder().setCommandId(id).setDecisionId(id).setHostId("host-1").setAction(Action.PAGE_OUT)
        .setVmId(vm).setDecidedAt(now).setDeadline(now.plus(WAIT)).build();
  }

  private CommandWorker worker(CommandJournal journal, CommandWorker.Reports reports) {
    return CommandWorker.onThreads(journal, Drivers.only(driver), reports, new ActuationMeters(meters), clock, 4);
  }

  private CompletableFuture<Void> publish(Actuation actuation) {
    published.add(actuation);
    return CompletableFuture.completedFuture(null);
  }

  private Outcome outcomeOf(String commandId) throws InterruptedException {
    Instant until = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(until)) {
      for (Actuation a : published) {
        if (a.getCommandId().equals(commandId) && Outcomes.settled(a.getOutcome())) {
          return a.getOutcome();
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("No outcome of " + commandId + " within " + WAIT);
  }

  @Test
  void commandsOnDifferentVmsRunSideBySideAndCommandsOnOneVmInOrder() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    held.put("a1", release);
    try (CommandJournal journal = CommandJournal.open(dir, Duration.ofDays(7), clock.instant());
         CommandWorker worker = worker(journal, this::publish)) {
      worker.accept(journal.accepted(command("a1", "vm-a"), clock.instant()));
      worker.accept(journal.accepted(command("a2", "vm-a"), clock.instant()));
      worker.accept(journal.accepted(command("b1", "vm-b"), clock.instant()));

      assertThat(outcomeOf("b1")).as("vm-b does not wait for vm-a").isEqualTo(Outcome.APPLIED);
      assertThat(begun).as("a2 waits for a1, on the same VM").doesNotContain("a2");
      release.countDown();
      assertThat(outcomeOf("a2")).isEqualTo(Outcome.APPLIED);
      assertThat(begun.indexOf("a1")).isLessThan(begun.indexOf("a2"));
    }
  }

  @Test
  void aDriverThatBreaksFailsItsCommandAndTheLaneGoesOn() throws Exception {
    try (CommandJournal journal = CommandJournal.open(dir, Duration.ofDays(7), clock.instant());
         CommandWorker worker = worker(journal, this::publish)) {
      worker.accept(journal.accepted(command("broken-1", "vm-a"), clock.instant()));
      worker.accept(journal.accepted(command("a2", "vm-a"), clock.instant()));
      assertThat(outcomeOf("broken-1")).isEqualTo(Outcome.FAILED);
      assertThat(outcomeOf("a2")).isEqualTo(Outcome.APPLIED);
      assertThat(published).filteredOn(a -> a.getCommandId().equals("broken-1") && a.getOutcome() == Outcome.FAILED)
          .singleElement().satisfies(a -> assertThat(a.getDetail()).contains("no such VM in the driver's table"));
    }
  }

  @Test
  void anOutcomeIsCountedWithWhatItPagedOutAndHowLongAfterItsDecisionItCame() throws Exception {
    try (CommandJournal journal = CommandJournal.open(dir, Duration.ofDays(7), clock.instant());
         CommandWorker worker = worker(journal, this::publish)) {
      HostCommand command = command("a1", "vm-a");
      command.setDecidedAt(clock.instant().minusSeconds(5));
      worker.accept(journal.accepted(command, clock.instant()));
      assertThat(outcomeOf("a1")).isEqualTo(Outcome.APPLIED);

      assertThat(meters.get("reshape.actuations").tags("action", "PAGE_OUT", "outcome", "APPLIED", "driver", "test", "dry_run", "false")
          .counter().count()).isEqualTo(1);
      assertThat(meters.get("reshape.paged.out.bytes").counter().count()).isEqualTo(PAGED_OUT);
      Timer latency = meters.get("reshape.decision.to.outcome").tag("action", "PAGE_OUT").timer();
      assertThat(latency.count()).isEqualTo(1);
      assertThat(latency.totalTime(TimeUnit.SECONDS)).as("the decision was 5 s old").isBetween(5.0, 5.0 + WAIT.toSeconds());
    }
  }

  @Test
  void anOutcomeKafkaRefusedIsPublishedAgainUntilItIsThenMarkedReported() throws Exception {
    AtomicInteger refusals = new AtomicInteger(2);
    CommandWorker.Reports flaky = actuation -> {
      if (Outcomes.settled(actuation.getOutcome()) && refusals.getAndDecrement() > 0) {
        return CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException("broker unreachable"));
      }
      return publish(actuation);
    };
    try (CommandJournal journal = CommandJournal.open(dir, Duration.ofDays(7), clock.instant());
         CommandWorker worker = worker(journal, flaky)) {
      worker.accept(journal.accepted(command("a1", "vm-a"), clock.instant()));
      assertThat(outcomeOf("a1")).isEqualTo(Outcome.APPLIED);
      Instant until = Instant.now().plus(WAIT);
      while (!journal.unreported().isEmpty() && Instant.now().isBefore(until)) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      assertThat(journal.unreported()).as("marked reported once Kafka has it").isEmpty();
      assertThat(published).filteredOn(a -> a.getOutcome() == Outcome.APPLIED).hasSize(1);
    }
  }
}
