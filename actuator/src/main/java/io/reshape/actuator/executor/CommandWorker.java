package io.reshape.actuator.executor;

import io.reshape.actuator.Actuations;
import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.schemas.Outcomes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the commands the executor accepted, outside any Kafka transaction: a command may take
 * as long as its own deadline allows, never a transaction timeout. Commands in one of the driver's
 * lanes ({@link Driver#lane}, by default a VM) run one after another in the order accepted; lanes
 * run side by side, on the threads of the {@link Executor} given.
 *
 * <p>For each command it reports STARTED, what the driver says of its progress, and the outcome,
 * through {@link Reports}, without waiting for each report to reach Kafka: an outcome is marked
 * reported in the journal when it has, and published again at the next start when it may not
 * have. The journal records that a command began, and how it ended, before either is reported, so
 * that after a crash a command is never run again: one begun and not finished is settled by the
 * driver from the facts on the host ({@link Driver#reconcile}).
 */
public final class CommandWorker implements Consumer<CommandJournal.Entry>, AutoCloseable {

  /** Where the worker's reports go: the {@code actuations} topic. */
  @FunctionalInterface
  public interface Reports {

    /** Publishes {@code actuation}; the stage completes when it is durable, or with the reason it is not. */
    CompletionStage<?> publish(Actuation actuation);
  }

  private static final Logger LOG = LoggerFactory.getLogger(CommandWorker.class);
  private static final Duration REPORT_RETRY = Duration.ofSeconds(1);

  private final CommandJournal journal;
  private final Drivers drivers;
  private final Reports reports;
  private final ActuationMeters meters;
  private final Clock clock;
  private final Executor lanes;
  private final ExecutorService ownedLanes;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemons("command-deadlines"));
  /** Commands waiting behind the one running, per lane; a lane is here while one of its commands runs. */
  private final Map<String, Deque<HostCommand>> waiting = new HashMap<>();
  private volatile boolean closed;

  /** A worker whose commands run on {@code lanes}, for instance a queue a test drains. */
  public CommandWorker(CommandJournal journal, Drivers drivers, Reports reports, ActuationMeters meters, Clock clock,
      Executor lanes) {
    this(journal, drivers, reports, meters, clock, lanes, null);
  }

  private CommandWorker(CommandJournal journal, Drivers drivers, Reports reports, ActuationMeters meters, Clock clock,
      Executor lanes, ExecutorService ownedLanes) {
    this.journal = journal;
    this.drivers = drivers;
    this.reports = reports;
    this.meters = meters;
    this.clock = clock;
    this.lanes = lanes;
    this.ownedLanes = ownedLanes;
  }

  /** A worker that runs commands on up to {@code threads} VMs at once, on threads of its own. */
  public static CommandWorker onThreads(CommandJournal journal, Drivers drivers, Reports reports, ActuationMeters meters,
      Clock clock, int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemons("command-worker"));
    return new CommandWorker(journal, drivers, reports, meters, clock, pool, pool);
  }

  /**
   * Settles what an earlier run of the executor left: commands interrupted in the driver are
   * reconciled, outcomes maybe never published are published, and commands accepted and never begun
   * are taken on again.
   */
  public void recover() {
    // Outcomes of the earlier run first: those settled below are reported as they are settled.
    journal.unreported().forEach(entry -> report(finalReport(entry)));
    for (CommandJournal.Entry entry : journal.interrupted()) {
      HostCommand command = entry.command();
      if (command == null) {
        // Begun before the executor handed commands to a worker: nothing says what it was.
        journal.finished(entry.commandId(), entry.decidedAt(), Outcome.IN_DOUBT, Actuations.EXECUTOR,
            "The executor stopped while applying this command; it is not applied again", clock.instant());
        continue;
      }
      LOG.warn("Command {} was interrupted in the {} driver; settling it from the host", entry.commandId(),
          drivers.of(command).name());
      settle(command, reconcile(drivers.of(command), command, "the executor stopped while applying it"));
    }
    journal.waiting().forEach(this);
  }

  /** Takes on a command the journal has recorded as accepted. */
  @Override
  public void accept(CommandJournal.Entry accepted) {
    HostCommand command = accepted.command();
    synchronized (waiting) {
      Deque<HostCommand> behind = waiting.get(lane(command));
      if (behind != null) {
        behind.add(command);
        return;
      }
      waiting.put(lane(command), new ArrayDeque<>());
    }
    lanes.execute(() -> runLane(command));
  }

  private String lane(HostCommand command) {
    return drivers.of(command).lane(command);
  }

  /** Carries out {@code command}, then each command queued behind it in its lane. */
  private void runLane(HostCommand command) {
    HostCommand next = command;
    while (next != null && !closed) {
      try {
        carryOut(next);
      } catch (RuntimeException | Error e) {
        // Nothing may stop a lane silently: the command is settled as failed and the lane goes on.
        LOG.error("Command {} broke the worker", next.getCommandId(), e);
        settle(next, new DriverResult(Outcome.FAILED, "The executor failed while applying it: " + e));
      }
      synchronized (waiting) {
        Deque<HostCommand> behind = waiting.get(lane(command));
        next = behind.poll();
        if (next == null) {
          waiting.remove(lane(command));
        }
      }
    }
  }

  private void carryOut(HostCommand command) {
    Instant now = clock.instant();
    if (now.isAfter(command.getDeadline())) {
      settle(command, new DriverResult(Outcome.EXPIRED,
          "Deadline " + command.getDeadline() + " passed while the command waited for the ones before it"));
      return;
    }
    Driver driver = drivers.of(command);
    journal.begun(command.getCommandId(), command.getDecidedAt(), now);
    report(Actuations.ofCommand(command, Outcome.STARTED, driver.name(), "Started by the " + driver.name() + " driver", now, now));
    DriverResult result = run(driver, command, now);
    if (result == null) {
      LOG.warn("Closing with command {} under way in the {} driver; it is settled at the next start", command.getCommandId(),
          driver.name());
      return;
    }
    settle(command, result);
  }

  /**
   * Runs the driver on this thread; at the command's deadline it is interrupted, and the command
   * reconciled. Null when the worker closed while the driver ran: the journal says it began, and the
   * next start settles it.
   */
  private DriverResult run(Driver driver, HostCommand command, Instant startedAt) {
    Deadline deadline = new Deadline(Thread.currentThread());
    long left = Math.max(0, Duration.between(clock.instant(), command.getDeadline()).toMillis());
    ScheduledFuture<?> alarm = timer.schedule(deadline::reach, left, TimeUnit.MILLISECONDS);
    DriverResult result;
    try {
      result = driver.apply(command, (done, detail) -> progress(driver, command, startedAt, done, detail));
    } catch (InterruptedException e) {
      result = null;
    } catch (Exception e) {
      LOG.error("Command {} failed", command.getCommandId(), e);
      result = new DriverResult(Outcome.FAILED, String.valueOf(e));
    } finally {
      alarm.cancel(false);
    }
    if (deadline.settle()) {
      LOG.warn("Command {} reached its deadline {} in the {} driver", command.getCommandId(), command.getDeadline(),
          driver.name());
      return reconcile(driver, command, "it reached its deadline " + command.getDeadline() + " and was stopped");
    }
    if (result == null && !closed) {
      return reconcile(driver, command, "the driver was interrupted");
    }
    return result;
  }

  /** The interrupt at a command's deadline, which must not reach the thread once the driver has returned. */
  private static final class Deadline {

    private final Thread driving;
    private boolean returned;
    private boolean reached;

    Deadline(Thread driving) {
      this.driving = driving;
    }

    synchronized void reach() {
      if (!returned) {
        reached = true;
        driving.interrupt();
      }
    }

    /** Whether the deadline was reached; clears the interrupt it may have left on this thread. */
    synchronized boolean settle() {
      returned = true;
      Thread.interrupted();
      return reached;
    }
  }

  private DriverResult reconcile(Driver driver, HostCommand command, String why) {
    try {
      DriverResult settled = driver.reconcile(command);
      return new DriverResult(settled.outcome(), "Settled after " + why + ": " + settled.detail());
    } catch (Exception e) {
      LOG.error("Command {} could not be reconciled", command.getCommandId(), e);
      return new DriverResult(Outcome.IN_DOUBT, "Not settled after " + why + ": " + e + "; it is not applied again");
    }
  }

  private void settle(HostCommand command, DriverResult result) {
    Instant now = clock.instant();
    String driver = drivers.of(command).name();
    journal.finished(command.getCommandId(), command.getDecidedAt(), result.outcome(), driver, result.detail(), now);
    meters.settled(command, result.outcome(), driver, now);
    meters.pagedOut(result.pagedOutBytes());
    report(finalReport(journal.find(command.getCommandId()).orElseThrow()));
  }

  private Actuation finalReport(CommandJournal.Entry entry) {
    return Actuations.ofCommand(entry.command(), entry.outcome(), entry.driver(), entry.detail(), entry.begunAt(),
        entry.finishedAt());
  }

  private void progress(Driver driver, HostCommand command, Instant startedAt, double done, String detail) {
    Actuation actuation = Actuations.ofCommand(command, Outcome.IN_PROGRESS, driver.name(), detail, startedAt, clock.instant());
    actuation.setProgress(Math.max(0, Math.min(1, done)));
    report(actuation);
  }

  /**
   * Publishes a report. A settled outcome is published until Kafka has it, then marked reported; a
   * STARTED or progress report is news, not a record the executor must keep: the outcome follows.
   */
  private void report(Actuation actuation) {
    reports.publish(actuation).whenComplete((published, failure) -> {
      if (!Outcomes.settled(actuation.getOutcome())) {
        if (failure != null) {
          LOG.warn("Could not publish the {} report of command {}: {}", actuation.getOutcome(), actuation.getCommandId(),
              failure.toString());
        }
      } else if (failure == null) {
        journal.reported(actuation.getCommandId(), clock.instant());
      } else if (closed) {
        LOG.warn("Closing with the outcome of command {} unpublished; it is published at the next start: {}",
            actuation.getCommandId(), failure.toString());
      } else {
        LOG.warn("Could not publish the outcome of command {}, retrying: {}", actuation.getCommandId(), failure.toString());
        timer.schedule(() -> report(actuation), REPORT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
      }
    });
  }

  /** Stops taking commands; one under way is left to finish, or to be settled at the next start. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    if (ownedLanes != null) {
      ownedLanes.shutdownNow();
      ownedLanes.awaitTermination(10, TimeUnit.SECONDS);
    }
    timer.shutdownNow();
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
