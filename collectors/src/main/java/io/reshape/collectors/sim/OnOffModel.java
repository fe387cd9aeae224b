package io.reshape.collectors.sim;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Long idle stretches broken by bursts of work: the lengths of both are exponentially
 * distributed, which makes their ends memoryless (a two-state Markov process).
 */
final class OnOffModel implements WorkloadModel {

  private final SplittableRandom random;
  private final double meanOnSeconds;
  private final double meanOffSeconds;
  private final Activity on;
  private final Activity off;
  private boolean bursting;

  OnOffModel(SplittableRandom random, double meanOnSeconds, double meanOffSeconds, Activity on, Activity off) {
    this.random = random;
    this.meanOnSeconds = meanOnSeconds;
    this.meanOffSeconds = meanOffSeconds;
    this.on = on;
    this.off = off;
  }

  @Override
  public Activity next(Instant start, double seconds) {
    double mean = bursting ? meanOnSeconds : meanOffSeconds;
    if (random.nextDouble() < 1 - Math.exp(-seconds / mean)) {
      bursting = !bursting;
    }
    return bursting ? on : off;
  }
}
