package io.reshape.jobs.sharing;

import io.reshape.jobs.kafka.EventTime;
import java.io.Serializable;
import java.time.Duration;

/**
 * How the sharing job sketches VMs and what it reports.
 *
 * @param sketchSize k, the ranks kept per VM sketch (8 bytes each): similarity is within about
 *     sqrt(J(1 - J) / k) and distinct counts within 1 / sqrt(k) (one standard error)
 * @param minSimilarity a pair is reported when its similarity reaches this...
 * @param minSharedPages ...or when the pages it could share reach this; either one suffices, so
 *     set the other out of reach (above 1, {@link Long#MAX_VALUE}) to use just one
 * @param hostInterval a host's sharing is published at most once per this much event time, at the
 *     end of the interval in which its VMs or their sketches changed
 * @param pairInterval a VM's refreshed sketch is compared with every other VM's at most once per
 *     this much event time (its first sketch at once): every pair is compared at least that often,
 *     and a fleet of N VMs costs N / pairInterval comparisons of N pairs a second, not one per
 *     refresh
 * @param eventTime how its inputs give event time
 */
public record SharingSettings(
    int sketchSize,
    double minSimilarity,
    long minSharedPages,
    Duration hostInterval,
    Duration pairInterval,
    EventTime eventTime) implements Serializable {

  public SharingSettings {
    if (sketchSize < 2) {
      throw new IllegalArgumentException("sketchSize must be at least 2, got " + sketchSize);
    }
    if (!(minSimilarity >= 0) || minSharedPages < 0) {
      throw new IllegalArgumentException("minSimilarity and minSharedPages must not be negative, got "
          + minSimilarity + " and " + minSharedPages);
    }
    if (hostInterval.isNegative() || hostInterval.isZero() || pairInterval.isNegative()) {
      throw new IllegalArgumentException("hostInterval must be positive and pairInterval not negative, got " + hostInterval + " and "
          + pairInterval);
    }
  }

  /**
   * Sketches of 1024 ranks (8 KiB a VM: similarity within 0.016, counts within 3%); pairs at 10%
   * similarity or 64 MiB of 4 KiB pages; host figures, and each VM's comparison with the others, at
   * most once a minute.
   */
  public static SharingSettings defaults() {
    return new SharingSettings(1024, 0.1, 16_384, Duration.ofMinutes(1), Duration.ofMinutes(1), EventTime.defaults());
  }

  /** Whether a pair shares enough to be reported. */
  public boolean worthReporting(Overlap overlap) {
    return overlap.similarity() >= minSimilarity || overlap.sharedPages() >= minSharedPages;
  }

  public SharingSettings withEventTime(EventTime eventTime) {
    return new SharingSettings(sketchSize, minSimilarity, minSharedPages, hostInterval, pairInterval, eventTime);
  }
}
