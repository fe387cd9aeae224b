package io.reshape.collectors.sim;

import java.time.Instant;

/** The activity of one VM over time. Models may keep state (a burst under way). */
interface WorkloadModel {

  /** The activity during the interval that starts at {@code start} and lasts {@code seconds}. */
  Activity next(Instant start, double seconds);
}
