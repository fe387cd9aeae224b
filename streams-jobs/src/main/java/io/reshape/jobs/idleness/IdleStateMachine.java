package io.reshape.jobs.idleness;

import io.reshape.events.IdleState;
import java.util.Optional;

/**
 * ACTIVE / IDLE with hysteresis: a VM changes state only after enough consecutive intervals say
 * so, so a single quiet second does not page a busy VM out, and a single tick does not wake an idle
 * one. A gap in the intervals (lost samples) restarts the count: there is no evidence for it; the
 * track remembers where the latest gap ended.
 */
public final class IdleStateMachine {

  private final int enterIdleAfter;
  private final int leaveIdleAfter;

  public IdleStateMachine(int enterIdleAfter, int leaveIdleAfter) {
    this.enterIdleAfter = enterIdleAfter;
    this.leaveIdleAfter = leaveIdleAfter;
  }

  /** A change of state, and since when it holds. */
  public record Transition(IdleState state, long sinceMicros) {}

  /** Feeds one interval; returns the transition it completes, if any. */
  public Optional<Transition> step(IdleTrack track, boolean idleLike, long startMicros, long endMicros) {
    boolean contiguous = track.lastEndMicros == 0 || startMicros <= track.lastEndMicros;
    if (!contiguous) {
      track.resumedAfterGapMicros = startMicros;
    }
    track.lastEndMicros = endMicros;
    boolean agrees = track.state != null && (track.state == IdleState.IDLE) == idleLike;
    if (agrees) {
      track.streak = 0;
      return Optional.empty();
    }
    if (track.streak == 0 || !contiguous || track.streakIdle != idleLike) {
      track.streak = 0;
      track.streakStartMicros = startMicros;
      track.streakIdle = idleLike;
    }
    track.streak++;
    if (track.streak < (idleLike ? enterIdleAfter : leaveIdleAfter)) {
      return Optional.empty();
    }
    track.state = idleLike ? IdleState.IDLE : IdleState.ACTIVE;
    track.sinceMicros = track.streakStartMicros;
    track.streak = 0;
    return Optional.of(new Transition(track.state, track.sinceMicros));
  }
}
