package io.reshape.jobs.footprints;

/**
 * An exponentially decaying average of a rate, fed with amounts counted over intervals of any
 * length. An amount counted over [start, end) is taken as spread evenly over it, and the average
 * at time t weighs the rate at time s by 2^(-(t-s)/halfLife): time without samples counts as a
 * zero rate, so a source that stops fades away.
 *
 * <p>The result does not depend on the order samples arrive in: a sample ending before the newest
 * one is added with the weight it has at that time. Overlapping samples add up, as two flows at
 * once do. The average is in amount per second; times are microseconds. A Flink POJO (public fields).
 */
public class DecayingRate {

  private static final double MICROS_PER_SECOND = 1e6;

  /** The average per second as of {@link #asOfMicros}. */
  public double value;
  /** End of the newest sample added, microseconds; 0 before the first. */
  public long asOfMicros;

  public DecayingRate() {}

  /**
   * Adds {@code amount} counted over [startMicros, endMicros).
   *
   * @throws IllegalArgumentException for a negative or non-finite amount (a counter that went
   *     backwards or was reset) or an interval that is empty or ends before it starts (a clock that
   *     jumped back during it): neither says anything about a rate
   */
  public void add(HalfLife halfLife, long startMicros, long endMicros, double amount) {
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      throw new IllegalArgumentException("An amount must be finite and not negative, not " + amount);
    }
    long span = endMicros - startMicros;
    if (span <= 0) {
      throw new IllegalArgumentException("Interval [" + startMicros + ", " + endMicros + ") us is empty or runs backwards");
    }
    // The sample's part of the average as of its end: its rate times the weight of its span.
    double part = amount * MICROS_PER_SECOND / span * halfLife.weightOf(span);
    if (endMicros > asOfMicros) {
      value = value * halfLife.decay(endMicros - asOfMicros) + part;
      asOfMicros = endMicros;
    } else {
      value += part * halfLife.decay(asOfMicros - endMicros);
    }
  }

  /** The average at {@code nowMicros}; a time before the newest sample reads the value as of it, never more. */
  public double at(HalfLife halfLife, long nowMicros) {
    return value * halfLife.decay(nowMicros - asOfMicros);
  }
}
