package io.reshape.collectors;

import io.reshape.collectors.sim.SimulatedFleet;
import io.reshape.collectors.spool.SpoolingPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a simulated fleet through time and publishes what it produces. Simulated time starts at
 * {@code start} and advances one interval per tick; {@code speed} simulated seconds pass per wall
 * second (1 = real time).
 */
public final class FleetRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FleetRunner.class);

  private final SimulatedFleet fleet;
  private final SpoolingPublisher publisher;
  private final Duration interval;
  private final Instant start;
  private final double speed;
  private final AtomicLong ticks = new AtomicLong();
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "fleet-clock");
    thread.setDaemon(true);
    return thread;
  });

  public FleetRunner(SimulatedFleet fleet, SpoolingPublisher publisher, Duration interval, Instant start, double speed) {
    if (speed <= 0) {
      throw new IllegalArgumentException("speed must be positive, not " + speed);
    }
    this.fleet = fleet;
    this.publisher = publisher;
    this.interval = interval;
    this.start = start;
    this.speed = speed;
  }

  /** Publishes the inventory, then one interval of signals per tick until {@link #close()}. */
  public void start() {
    publisher.publish(fleet.inventory(start));
    long periodMicros = Math.max(1, (long) (interval.toNanos() / 1000 / speed));
    clock.scheduleAtFixedRate(this::tick, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
  }

  private void tick() {
    try {
      Instant from = start.plus(interval.multipliedBy(ticks.get()));
      publisher.publish(fleet.tick(from, from.plus(interval)));
      ticks.incrementAndGet();
    } catch (RuntimeException e) {
      // A failed tick must not stop the clock silently: log it and go on with the next.
      LOG.error("Simulated tick failed", e);
    }
  }

  @Override
  public void close() {
    clock.shutdown();
    try {
      clock.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
