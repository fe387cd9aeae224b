package io.reshape.local.evaluation;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulated datacenter's clock, for the actuator that acts on it: the planning time of the
 * step under way, set by the step loop. The actuator judges deadlines and ages by it, as it would
 * by the wall clock on real hosts.
 */
final class SimClock extends Clock {

  private volatile Instant now;

  SimClock(Instant start) {
    this.now = start;
  }

  void set(Instant at) {
    now = at;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (!ZoneOffset.UTC.equals(zone)) {
      throw new IllegalArgumentException("The simulated clock keeps UTC");
    }
    return this;
  }
}
