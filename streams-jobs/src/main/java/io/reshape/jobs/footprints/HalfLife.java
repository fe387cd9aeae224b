package io.reshape.jobs.footprints;

import java.io.Serializable;
import java.time.Duration;

/** Exponential decay that halves a weight every half-life; times in microseconds. */
public final class HalfLife implements Serializable {

  private static final long serialVersionUID = 1L;

  private final double seconds;
  private final double ratePerMicro;

  public HalfLife(Duration halfLife) {
    long micros = halfLife.toNanos() / 1000;
    if (micros < 1) {
      throw new IllegalArgumentException("A half-life must be at least 1 us, not " + halfLife);
    }
    this.seconds = micros / 1e6;
    this.ratePerMicro = Math.log(2) / micros;
  }

  public double seconds() {
    return seconds;
  }

  /** What a weight has left after {@code elapsedMicros}; 1 when no time (or negative time) passed. */
  public double decay(long elapsedMicros) {
    return elapsedMicros <= 0 ? 1 : Math.exp(-ratePerMicro * elapsedMicros);
  }

  /**
   * The share of an average's total weight that the last {@code spanMicros} hold: 1 - 2^(-span/halfLife).
   * Computed with {@code expm1} because spans are often tiny next to the half-life.
   */
  public double weightOf(long spanMicros) {
    return spanMicros <= 0 ? 0 : -Math.expm1(-ratePerMicro * spanMicros);
  }
}
