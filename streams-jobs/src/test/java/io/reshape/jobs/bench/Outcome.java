package io.reshape.jobs.bench;

/**
 * One moment a VM entered IDLE with at least one idle period behind it: what both methods
 * predicted for the rest of the period and what happened.
 *
 * @param predictorMillis the predictor's remaining idle time
 * @param confidence the predictor's probability that the VM stays idle that long
 * @param baselineMillis the baseline's remaining idle time
 * @param actualMillis how long the VM then stayed idle; when {@code censored}, only a lower bound
 * @param censored whether the trace ended before the period did
 */
record Outcome(long predictorMillis, double confidence, long baselineMillis, long actualMillis, boolean censored) {}
