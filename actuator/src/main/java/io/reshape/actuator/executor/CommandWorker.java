package io.reshape.actuator.executor;

import io.reshape.actuator.Actuations;
import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the commands the executor accepted, one at a time in the order accepted, outside any
 * Kafka transaction: a command may take as long as its own deadline allows, never a transaction
 * timeout. For each it reports STARTED, what the driver says of its progress, and the outcome,
 * through {@link Reports}; the journal records each step first, so that after a crash a command
 * is never run again: one begun and not finished is settled by the driver from the facts on the
 * host ({@link Driver#reconcile}), and an outcome not known to have reached Kafka is reported again.
 */
public final class CommandWorker implements Consumer<CommandJournal.Entry>, AutoCloseable {

  /** Where the worker's reports go: the {@code actuations} topic. */
  @FunctionalInterface
  public interface Reports {

    /** Publishes {@code actuation}; it is durable when this returns. */
    void publish(Actuation actuation) throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(CommandWorker.class);
  /** How long a driver interrupted at a deadline has to stop before the command is settled without it. */
  static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final CommandJournal journal;
  private final Driver driver;
  private final Reports reports;
  private final Clock clock;
  private final BlockingQueue<CommandJournal.Entry> queue = new LinkedBlockingQueue<>();
  private volatile boolean closed;
  private Thread thread;

  public CommandWorker(CommandJournal journal, Driver driver, Reports reports, Clock clock) {
    this.journal = journal;
    this.driver = driver;
    this.reports = reports;
    this.clock = clock;
  }

  /** What the worker signs its outcomes with. */
  public String driverName() {
    return driver.name();
  }

  /**
   * Settles what an earlier run of the executor left: commands interrupted in the driver are
   * reconciled, outcomes maybe never published are published, and commands accepted and never begun
   * are queued.
   */
  public void recover() throws InterruptedException {
    for (CommandJournal.Entry entry : journal.interrupted()) {
      HostCommand command = entry.command();
      if (command == null) {
        // Begun before the executor handed commands to a worker: nothing says what it was.
        journal.finished(entry.commandId(), entry.decidedAt(), Outcome.IN_DOUBT, driver.name(),
            "The executor stopped while applying this command; it is not applied again", clock.instant());
        continue;
      }
      LOG.warn("Command {} was interrupted in the {} driver; settling it from the host", entry.commandId(), driver.name());
      settle(command, reconcile(command, "the executor stopped while applying it"));
    }
    for (CommandJournal.Entry entry : journal.unreported()) {
      report(finalReport(entry));
    }
    queue.addAll(journal.waiting());
  }

  /** Takes on a command the journal has just recorded as accepted. */
  @Override
  public void accept(CommandJournal.Entry accepted) {
    queue.add(accepted);
  }

  /** Carries out, on the calling thread, every command queued so far. */
  public void runQueued() throws InterruptedException {
    CommandJournal.Entry next;
    while ((next = queue.poll()) != null) {
      carryOut(next.command());
    }
  }

  /** Carries commands out on a thread of its own until closed. */
  public synchronized void start() {
    thread = new Thread(() -> {
      try {
        while (!closed) {
          carryOut(queue.take().command());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "command-worker");
    thread.setDaemon(true);
    thread.start();
  }

  private void carryOut(HostCommand command) throws InterruptedException {
    Instant now = clock.instant();
    if (now.isAfter(command.getDeadline())) {
      journal.finished(command.getCommandId(), command.getDecidedAt(), Outcome.EXPIRED, driver.name(),
          "Deadline " + command.getDeadline() + " passed while the command waited for the ones before it", now);
      report(finalReport(journal.find(command.getCommandId()).orElseThrow()));
      return;
    }
    journal.begun(command.getCommandId(), command.getDecidedAt(), now);
    report(Actuations.ofCommand(command, Outcome.STARTED, driver.name(), "Started by the " + driver.name() + " driver", now, now));
    settle(command, run(command, now));
  }

  /** Runs the driver until it returns or the command's deadline; past the deadline it is stopped and the command reconciled. */
  private DriverResult run(HostCommand command, Instant startedAt) throws InterruptedException {
    AtomicReference<DriverResult> result = new AtomicReference<>();
    Thread applying = new Thread(() -> result.set(apply(command, startedAt)), "driver-" + command.getCommandId());
    applying.setDaemon(true);
    applying.start();
    Duration left = Duration.between(clock.instant(), command.getDeadline());
    applying.join(Math.max(1, left.toMillis()));
    if (applying.isAlive()) {
      LOG.warn("Command {} reached its deadline {} in the {} driver; stopping it", command.getCommandId(),
          command.getDeadline(), driver.name());
      applying.interrupt();
      applying.join(STOP_GRACE.toMillis());
      if (applying.isAlive()) {
        return new DriverResult(Outcome.IN_DOUBT, "The " + driver.name() + " driver did not stop within "
            + STOP_GRACE.toSeconds() + " s of the deadline " + command.getDeadline() + "; it is not applied again");
      }
      return reconcile(command, "it reached its deadline " + command.getDeadline() + " and was stopped");
    }
    return result.get();
  }

  private DriverResult apply(HostCommand command, Instant startedAt) {
    try {
      return driver.apply(command, (done, detail) -> report(Actuations.ofCommand(command, Outcome.IN_PROGRESS, driver.name(),
          detail, startedAt, clock.instant()), done));
    } catch (Exception e) {
      LOG.error("Command {} failed", command.getCommandId(), e);
      return new DriverResult(Outcome.FAILED, String.valueOf(e));
    }
  }

  private DriverResult reconcile(HostCommand command, String why) {
    try {
      DriverResult settled = driver.reconcile(command);
      return new DriverResult(settled.outcome(), "Settled after " + why + ": " + settled.detail());
    } catch (Exception e) {
      LOG.error("Command {} could not be reconciled", command.getCommandId(), e);
      return new DriverResult(Outcome.IN_DOUBT, "Not settled after " + why + ": " + e + "; it is not applied again");
    }
  }

  private void settle(HostCommand command, DriverResult result) throws InterruptedException {
    journal.finished(command.getCommandId(), command.getDecidedAt(), result.outcome(), driver.name(), result.detail(),
        clock.instant());
    report(finalReport(journal.find(command.getCommandId()).orElseThrow()));
  }

  private Actuation finalReport(CommandJournal.Entry entry) {
    return Actuations.ofCommand(entry.command(), entry.outcome(), entry.driver(), entry.detail(), entry.begunAt(),
        entry.finishedAt());
  }

  private void report(Actuation actuation, double done) {
    actuation.setProgress(Math.max(0, Math.min(1, done)));
    try {
      reports.publish(actuation);
    } catch (Exception e) {
      // Progress is news, not a record the executor must keep: the outcome will follow.
      LOG.warn("Could not publish the progress of command {}: {}", actuation.getCommandId(), e.toString());
    }
  }

  /** Publishes until it is durable (an outcome is never dropped), then marks a settled one reported. */
  private void report(Actuation actuation) throws InterruptedException {
    while (true) {
      try {
        reports.publish(actuation);
        break;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        if (closed) {
          LOG.warn("Closing with the report of command {} unpublished; it is published at the next start: {}",
              actuation.getCommandId(), e.toString());
          return;
        }
        LOG.warn("Could not publish the report of command {}, retrying: {}", actuation.getCommandId(), e.toString());
        Thread.sleep(RETRY.toMillis());
      }
    }
    if (actuation.getOutcome() != Outcome.STARTED) {
      journal.reported(actuation.getCommandId(), clock.instant());
    }
  }

  /** Stops taking commands; one under way is left to finish or be settled at the next start. */
  @Override
  public synchronized void close() throws InterruptedException {
    closed = true;
    if (thread != null) {
      thread.interrupt();
      thread.join(STOP_GRACE.toMillis());
    }
  }
}
