package io.reshape.jobs.bench;

import java.util.OptionalLong;

/** The naive baseline: the current idle period lasts as long as the last one did. */
final class LastIdlePeriod {

  private long lastMillis;

  /** Remaining idle time after {@code elapsedMillis}; empty until a period has ended. */
  OptionalLong predictRemaining(long elapsedMillis) {
    return lastMillis == 0 ? OptionalLong.empty() : OptionalLong.of(Math.max(0, lastMillis - elapsedMillis));
  }

  /** Same rule as the predictor: lengths of zero or less are ignored. */
  void learn(long lengthMillis) {
    if (lengthMillis > 0) {
      lastMillis = lengthMillis;
    }
  }
}
