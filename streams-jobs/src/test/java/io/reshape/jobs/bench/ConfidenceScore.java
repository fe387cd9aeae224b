package io.reshape.jobs.bench;

/**
 * Whether the predictor's confidence is an honest probability, against how often the VM did stay
 * idle until the predicted wake-up (a hit): the hit rate within each band of confidence (an honest
 * confidence has hit rates that rise with it and lie within the band), and the Brier score (mean
 * squared gap between confidence and outcome; lower is better) next to that of always answering
 * the observed hit rate, which knows the outcome in hindsight but tells VMs apart not at all.
 */
final class ConfidenceScore {

  /** Band edges; the last band includes its upper edge. */
  static final double[] BANDS = {0, 0.4, 0.6, 1};

  private long count;
  private long hits;
  private double confidenceSum;
  private double squaredErrorSum;
  private final long[] bandCounts = new long[BANDS.length - 1];
  private final long[] bandHits = new long[BANDS.length - 1];

  /** A period the trace cut short before the predicted wake-up tells nothing and is skipped. */
  void add(double confidence, long predictedMillis, long actualMillis, boolean censored) {
    boolean hit = actualMillis >= predictedMillis;
    if (censored && !hit) {
      return;
    }
    int outcome = hit ? 1 : 0;
    count++;
    hits += outcome;
    confidenceSum += confidence;
    squaredErrorSum += (confidence - outcome) * (confidence - outcome);
    int band = band(confidence);
    bandCounts[band]++;
    bandHits[band] += outcome;
  }

  private static int band(double confidence) {
    int band = 0;
    while (band < BANDS.length - 2 && confidence >= BANDS[band + 1]) {
      band++;
    }
    return band;
  }

  double meanConfidence() {
    return confidenceSum / count;
  }

  double hitRate() {
    return (double) hits / count;
  }

  long bandCount(int band) {
    return bandCounts[band];
  }

  /** NaN for an empty band. */
  double bandHitRate(int band) {
    return bandCounts[band] == 0 ? Double.NaN : (double) bandHits[band] / bandCounts[band];
  }

  double brier() {
    return squaredErrorSum / count;
  }

  /** p(1 - p) for the hit rate p: the Brier score of answering p every time. */
  double brierOfHitRate() {
    double p = hitRate();
    return p * (1 - p);
  }
}
