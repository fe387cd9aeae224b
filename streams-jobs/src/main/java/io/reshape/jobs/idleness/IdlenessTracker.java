package io.reshape.jobs.idleness;

import io.reshape.events.IdleState;
import io.reshape.jobs.idleness.IdlePeriodPredictor.Prediction;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The per-VM logic of {@link TrackIdleness}, without Flink: the {@link IdleStateMachine} decides
 * the state; on entering IDLE the VM's {@link IdlePeriodPredictor} says how long the period will
 * last, and on leaving IDLE it learns how long the period did last.
 */
public final class IdlenessTracker {

  private final IdleStateMachine machine;

  public IdlenessTracker(IdleStateMachine machine) {
    this.machine = machine;
  }

  /**
   * A change of state.
   *
   * @param prediction on entering IDLE, the remaining idle time from the end of the interval that
   *     completed the change; empty otherwise or when the VM has no idle period behind it yet
   * @param endedIdleMillis on leaving IDLE, the length of the idle period that ended (from its start
   *     to the start of the busy intervals that ended it); empty otherwise or when intervals were
   *     missing during it, since the VM may have woken while nobody looked
   */
  public record Change(IdleState state, long sinceMicros, Optional<Prediction> prediction, OptionalLong endedIdleMillis) {}

  /** Feeds one interval; returns the change of state it completes, if any. */
  public Optional<Change> step(IdleTrack track, boolean idleLike, long startMicros, long endMicros) {
    IdleState before = track.state;
    long beforeSinceMicros = track.sinceMicros;
    return machine.step(track, idleLike, startMicros, endMicros).map(transition -> {
      long since = transition.sinceMicros();
      if (transition.state() == IdleState.IDLE) {
        Optional<Prediction> prediction = track.idlePeriods.predict(millis(endMicros - since));
        return new Change(IdleState.IDLE, since, prediction, OptionalLong.empty());
      }
      OptionalLong ended = OptionalLong.empty();
      if (before == IdleState.IDLE && track.resumedAfterGapMicros <= beforeSinceMicros) {
        ended = OptionalLong.of(millis(since - beforeSinceMicros));
        track.idlePeriods.learn(ended.getAsLong());
      }
      return new Change(IdleState.ACTIVE, since, Optional.empty(), ended);
    });
  }

  private static long millis(long micros) {
    return Math.floorDiv(micros, 1000);
  }
}
