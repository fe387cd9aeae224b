package io.reshape.jobs.idleness;

import io.reshape.events.IdleState;

/** What {@link IdlenessTracker} remembers of one VM. A Flink POJO (public fields). */
public class IdleTrack {

  /** Current state; null until the first decision. */
  public IdleState state;
  /** Start of the first interval that counted for the current state, microseconds. */
  public long sinceMicros;
  /** Consecutive intervals that contradict the current state. */
  public int streak;
  /** Start of the first of them, microseconds. */
  public long streakStartMicros;
  /** Whether the streak's intervals were idle-like (matters before the first decision). */
  public boolean streakIdle;
  /** End of the last interval seen, microseconds. */
  public long lastEndMicros;
  /** Start of the first interval after the latest gap in the intervals, microseconds; 0 when none. */
  public long resumedAfterGapMicros;
  /** The VM's past idle periods, for predicting the current one. */
  public IdlePeriodPredictor idlePeriods = new IdlePeriodPredictor();

  public IdleTrack() {}
}
