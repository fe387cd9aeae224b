package io.reshape.jobs.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How one method's predictions of remaining idle time fared.
 *
 * <p>For a horizon T, the method claims "the VM stays idle at least T more" when its predicted
 * remaining time is at least T; the claim is true when the actual remaining time is at least T.
 * Precision is the share of claims that were true, recall the share of true cases that were
 * claimed. A period the trace cut short counts only for the horizons it already outlasted; for
 * the others nobody knows. The error is |predicted - actual| over periods seen to end.
 */
final class ClaimScore {

  private final List<Duration> horizons;
  private final long[] truePositives;
  private final long[] falsePositives;
  private final long[] falseNegatives;
  private final List<Long> absoluteErrorsMillis = new ArrayList<>();

  ClaimScore(List<Duration> horizons) {
    this.horizons = List.copyOf(horizons);
    truePositives = new long[horizons.size()];
    falsePositives = new long[horizons.size()];
    falseNegatives = new long[horizons.size()];
  }

  void add(long predictedMillis, long actualMillis, boolean censored) {
    for (int h = 0; h < horizons.size(); h++) {
      long t = horizons.get(h).toMillis();
      boolean actual = actualMillis >= t;
      if (censored && !actual) {
        continue;
      }
      boolean claimed = predictedMillis >= t;
      if (claimed && actual) {
        truePositives[h]++;
      } else if (claimed) {
        falsePositives[h]++;
      } else if (actual) {
        falseNegatives[h]++;
      }
    }
    if (!censored) {
      absoluteErrorsMillis.add(Math.abs(predictedMillis - actualMillis));
    }
  }

  /** NaN when the method never made the claim. */
  double precision(Duration horizon) {
    int h = horizons.indexOf(horizon);
    return ratio(truePositives[h], truePositives[h] + falsePositives[h]);
  }

  /** NaN when the claim was never true. */
  double recall(Duration horizon) {
    int h = horizons.indexOf(horizon);
    return ratio(truePositives[h], truePositives[h] + falseNegatives[h]);
  }

  /** NaN when no period was seen to end. */
  double medianAbsoluteErrorMinutes() {
    return Statistics.median(absoluteErrorsMillis) / 60_000.0;
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? Double.NaN : (double) part / whole;
  }
}
