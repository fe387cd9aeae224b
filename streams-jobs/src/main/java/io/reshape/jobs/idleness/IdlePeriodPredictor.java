package io.reshape.jobs.idleness;

import java.util.Optional;

/**
 * How long a VM's current idle period will last, learned from its past ones, in the family of
 * Golding et al. ("Idleness is not sloth", USENIX Winter 1995): an exponential average of past
 * idle-period lengths, and a threshold that backs off once the average has been outlived.
 *
 * <p>Each new length enters the average clipped to {@link #CLIP} times the average so far: one
 * night-long period among ten-minute ones then moves the average by at most 75 %, instead of
 * making every later prediction long; a lasting change of length still comes through within a few
 * periods. The confidence is the share of the last {@link #MEMORY} periods that, having lasted as
 * long as the current one so far, also lasted until the predicted wake-up, pulled towards 1/2 when
 * few periods are remembered.
 *
 * <p>Its state is a few numbers and a fixed array, kept per VM in Flink keyed state: a Flink POJO
 * (public fields, public no-arg constructor).
 */
public class IdlePeriodPredictor {

  /** Periods remembered for the confidence. */
  public static final int MEMORY = 16;
  /** Weight of the newest period in the average; chosen on the PlanetLab day 20110303. */
  static final double GAIN = 0.25;
  /** A new length counts for at most this many times the average; chosen on the same day. */
  static final double CLIP = 4;
  /**
   * Pseudo-periods on each side of the confidence (a Beta(2, 2) prior): with little history it
   * stays near 1/2 instead of claiming certainty from one or two periods.
   */
  static final double PRIOR = 2;

  /** A predicted remaining idle time and the probability that the VM stays idle that long. */
  public record Prediction(long remainingMillis, double confidence) {}

  /** Exponential average of past lengths, milliseconds. */
  public double averageMillis;
  /** The last {@link #MEMORY} lengths, milliseconds, as a ring; only the first {@link #remembered} count. */
  public long[] recentMillis = new long[MEMORY];
  /** How many entries of {@link #recentMillis} hold a period. */
  public int remembered;
  /** Where the next period goes in {@link #recentMillis}. */
  public int next;

  public IdlePeriodPredictor() {}

  /**
   * The remaining length of an idle period that has lasted {@code elapsedMillis} so far; empty until a
   * period has been learned.
   */
  public Optional<Prediction> predict(long elapsedMillis) {
    if (remembered == 0) {
      return Optional.empty();
    }
    long elapsed = Math.max(0, elapsedMillis);
    long typical = Math.round(averageMillis);
    // Outlived the average: the period is longer than usual, so expect it to last as long again
    // (the median residual life of a scale-free tail) rather than to end at once.
    long remaining = typical > elapsed ? typical - elapsed : elapsed;
    return Optional.of(new Prediction(remaining, survival(elapsed, elapsed + remaining)));
  }

  /** Learns the length of an idle period that just ended; lengths of zero or less are ignored. */
  public void learn(long lengthMillis) {
    if (lengthMillis <= 0) {
      return;
    }
    averageMillis = remembered == 0
        ? lengthMillis
        : averageMillis + GAIN * (Math.min(lengthMillis, CLIP * averageMillis) - averageMillis);
    recentMillis[next] = lengthMillis;
    next = (next + 1) % MEMORY;
    remembered = Math.min(remembered + 1, MEMORY);
  }

  /** Estimated probability that a period that lasted {@code from} lasts until {@code until}. */
  private double survival(long from, long until) {
    int reachedFrom = 0;
    int reachedUntil = 0;
    for (int i = 0; i < remembered; i++) {
      if (recentMillis[i] >= from) {
        reachedFrom++;
        if (recentMillis[i] >= until) {
          reachedUntil++;
        }
      }
    }
    return (reachedUntil + PRIOR) / (reachedFrom + 2 * PRIOR);
  }
}
