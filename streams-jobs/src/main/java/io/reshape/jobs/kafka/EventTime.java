package io.reshape.jobs.kafka;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a job reads event time from its input topics.
 *
 * @param outOfOrderness how late a record may arrive behind the newest one of its partition and still count
 * @param sourceIdleTimeout a partition of changes silent this long no longer holds event time back; nor
 *     does a partition of collected signals that has had no record this long since the job started
 * @param stallTimeout a partition of collected signals that had records and then none for this long has
 *     stalled (its collectors are gone) and no longer holds event time back; a shorter pause holds it
 * @param inventoryCollected whether the inventory is published in full every interval, as a collected
 *     signal is (a simulated datacenter's scans), rather than as changes (real collectors)
 */
public record EventTime(Duration outOfOrderness, Duration sourceIdleTimeout, Duration stallTimeout, boolean inventoryCollected)
    implements Serializable {

  public EventTime {
    if (outOfOrderness.isNegative() || sourceIdleTimeout.isNegative() || sourceIdleTimeout.isZero() || stallTimeout.isNegative()
        || stallTimeout.isZero()) {
      throw new IllegalArgumentException("outOfOrderness must not be negative, and the timeouts must be positive; not "
          + outOfOrderness + ", " + sourceIdleTimeout + " and " + stallTimeout);
    }
  }

  /** Records up to 2 s out of order; partitions of changes silent for 5 s let go; collected ones after a minute; inventory as changes. */
  public static EventTime defaults() {
    return new EventTime(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMinutes(1), false);
  }
}
