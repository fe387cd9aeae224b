package io.reshape.jobs.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The predictor and the baseline scored on the same predictions, as {@code BENCH} lines. */
final class AccuracyTally {

  static final List<Duration> HORIZONS = List.of(Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofMinutes(60));

  private final ClaimScore predictor = new ClaimScore(HORIZONS);
  private final ClaimScore baseline = new ClaimScore(HORIZONS);
  private final ConfidenceScore confidence = new ConfidenceScore();
  private long predictions;
  private long censored;
  private long withoutHistory;

  void add(TraceReplay.Replay replay) {
    withoutHistory += replay.withoutHistory();
    for (Outcome o : replay.outcomes()) {
      predictions++;
      censored += o.censored() ? 1 : 0;
      predictor.add(o.predictorMillis(), o.actualMillis(), o.censored());
      baseline.add(o.baselineMillis(), o.actualMillis(), o.censored());
      confidence.add(o.confidence(), o.predictorMillis(), o.actualMillis(), o.censored());
    }
  }

  boolean isEmpty() {
    return predictions == 0 && withoutHistory == 0;
  }

  /** One line per figure; {@code suffix} names the threshold and the days, e.g. {@code u10-heldout}. */
  List<String> benchLines(String suffix) {
    List<String> lines = new ArrayList<>();
    lines.add(line("idleness-predictions-" + suffix, predictions, "count"));
    lines.add(line("idleness-predictions-censored-" + suffix, censored, "count"));
    lines.add(line("idleness-entries-without-history-" + suffix, withoutHistory, "count"));
    for (var method : List.of(new Named("predictor", predictor), new Named("baseline", baseline))) {
      for (Duration t : HORIZONS) {
        String horizon = "-T" + t.toMinutes() + "-" + suffix;
        lines.add(line("idleness-" + method.name + "-precision" + horizon, method.score.precision(t), "ratio"));
        lines.add(line("idleness-" + method.name + "-recall" + horizon, method.score.recall(t), "ratio"));
      }
      lines.add(line("idleness-" + method.name + "-median-abs-error-" + suffix, method.score.medianAbsoluteErrorMinutes(), "min"));
    }
    lines.add(line("idleness-predictor-confidence-mean-" + suffix, confidence.meanConfidence(), "ratio"));
    lines.add(line("idleness-predictor-wake-hit-rate-" + suffix, confidence.hitRate(), "ratio"));
    for (int band = 0; band < ConfidenceScore.BANDS.length - 1; band++) {
      String range = String.format(Locale.ROOT, "-conf%.1f-%.1f-", ConfidenceScore.BANDS[band], ConfidenceScore.BANDS[band + 1]);
      lines.add(line("idleness-predictor-wake-hit-rate" + range + suffix, confidence.bandHitRate(band), "ratio"));
      lines.add(line("idleness-predictor-predictions" + range + suffix, confidence.bandCount(band), "count"));
    }
    lines.add(line("idleness-predictor-confidence-brier-" + suffix, confidence.brier(), "score"));
    lines.add(line("idleness-hit-rate-constant-brier-" + suffix, confidence.brierOfHitRate(), "score"));
    return lines;
  }

  private record Named(String name, ClaimScore score) {}

  private static String line(String name, double value, String unit) {
    return String.format(Locale.ROOT, "BENCH %s %.3f %s", name, value, unit);
  }

  private static String line(String name, long value, String unit) {
    return String.format(Locale.ROOT, "BENCH %s %d %s", name, value, unit);
  }
}
