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
 * @param clockAheadLimit how far a record's event time may be ahead of this clock; beyond, its writer's clock jumped
 * @param unlistedGrace how long a collected record of a VM or host the inventory does not list waits for it
 */
public record EventTime(Duration outOfOrderness, Duration sourceIdleTimeout, Duration stallTimeout, boolean inventoryCollected,
    Duration clockAheadLimit, Duration unlistedGrace) implements Serializable {

  public EventTime {
    if (outOfOrderness.isNegative() || sourceIdleTimeout.isNegative() || sourceIdleTimeout.isZero() || stallTimeout.isNegative()
        || stallTimeout.isZero() || clockAheadLimit.isNegative() || unlistedGrace.isNegative()) {
      throw new IllegalArgumentException("outOfOrderness, clockAheadLimit and unlistedGrace must not be negative, and the timeouts "
          + "must be positive; not " + outOfOrderness + ", " + clockAheadLimit + ", " + unlistedGrace + ", " + sourceIdleTimeout
          + " and " + stallTimeout);
    }
  }

  /**
   * Records up to 2 s out of order; partitions of changes silent for 5 s let go; collected ones
   * after a minute; inventory as changes; event times up to 5 min ahead of this clock; records of
   * VMs or hosts not listed wait 20 s for the inventory.
   */
  public static EventTime defaults() {
    return new EventTime(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMinutes(1), false, Duration.ofMinutes(5),
        Duration.ofSeconds(20));
  }

  /** These settings with another bound on how far out of order records may come. */
  public EventTime withOutOfOrderness(Duration outOfOrderness) {
    return new EventTime(outOfOrderness, sourceIdleTimeout, stallTimeout, inventoryCollected, clockAheadLimit, unlistedGrace);
  }

  /** These settings with other timeouts and way of reading the inventory. */
  public EventTime withTimeouts(Duration sourceIdleTimeout, Duration stallTimeout, boolean inventoryCollected) {
    return new EventTime(outOfOrderness, sourceIdleTimeout, stallTimeout, inventoryCollected, clockAheadLimit, unlistedGrace);
  }
}
