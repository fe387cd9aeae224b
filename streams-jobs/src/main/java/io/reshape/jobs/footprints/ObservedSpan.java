package io.reshape.jobs.footprints;

/**
 * The time a signal has been observed over: from the start of its earliest sample to the end of its
 * newest. A {@link DecayingRate} starts at zero and needs a few half-lives to reach a steady rate;
 * dividing it by the weight of the observed span removes that warm-up bias (the later gaps still
 * count as silence). A Flink POJO (public fields).
 */
public class ObservedSpan {

  public boolean seen;
  public long sinceMicros;
  public long untilMicros;

  public ObservedSpan() {}

  public void cover(long startMicros, long endMicros) {
    sinceMicros = seen ? Math.min(sinceMicros, startMicros) : startMicros;
    untilMicros = seen ? Math.max(untilMicros, endMicros) : endMicros;
    seen = true;
  }

  /**
   * {@code rate} at {@code nowMicros}, corrected for the warm-up: as if the rate had been observed
   * forever. Never more than the largest rate its samples had (summed where they overlap); 0 while
   * nothing was observed.
   */
  public double read(HalfLife halfLife, DecayingRate rate, long nowMicros) {
    if (!seen) {
      return 0;
    }
    double weight = halfLife.weightOf(Math.max(nowMicros, untilMicros) - sinceMicros);
    return weight == 0 ? 0 : rate.at(halfLife, nowMicros) / weight;
  }
}
