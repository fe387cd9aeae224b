package io.reshape.actuator.executor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import java.time.Duration;
import java.time.Instant;

/**
 * The executor's meters, counted where an outcome is settled: {@code reshape.actuations} by
 * action, outcome, driver and whether it was a dry run; {@code reshape.decision.to.outcome}, the
 * time from the decision's event time to its outcome, by action; and {@code
 * reshape.paged.out.bytes}, what page-outs took out of RAM.
 */
public final class ActuationMeters {

  private final MeterRegistry registry;
  private final Counter pagedOut;

  public ActuationMeters(MeterRegistry registry) {
    this.registry = registry;
    this.pagedOut = Counter.builder("reshape.paged.out.bytes").description("Bytes page-outs took out of RAM.").register(registry);
  }

  /** Counts the outcome of {@code command}, settled at {@code at}. */
  public void settled(HostCommand command, Outcome outcome, String driver, Instant at) {
    Action action = command.getAction();
    Counter.builder("reshape.actuations").description("Outcomes settled by this executor.")
        .tag("action", action.name())
        .tag("outcome", outcome.name())
        .tag("driver", driver)
        .tag("dry_run", Boolean.toString(outcome == Outcome.DRY_RUN))
        .register(registry).increment();
    Timer.builder("reshape.decision.to.outcome").description("From a decision's event time to its outcome on the host.")
        .tag("action", action.name())
        .publishPercentileHistogram()
        .register(registry).record(Duration.between(command.getDecidedAt(), at));
  }

  /** Counts what a driver reports it took out of RAM. */
  public void pagedOut(long bytes) {
    pagedOut.increment(bytes);
  }
}
