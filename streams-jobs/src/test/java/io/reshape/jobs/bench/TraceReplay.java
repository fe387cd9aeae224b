package io.reshape.jobs.bench;

import io.reshape.events.IdleState;
import io.reshape.jobs.idleness.IdlePeriodPredictor.Prediction;
import io.reshape.jobs.idleness.IdleStateMachine;
import io.reshape.jobs.idleness.IdleTrack;
import io.reshape.jobs.idleness.IdlenessTracker;
import io.reshape.jobs.idleness.IdlenessTracker.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Replays one VM's utilisation samples through the idleness job's own per-VM logic
 * ({@link IdlenessTracker}: hysteresis, then the predictor) and through the
 * {@link LastIdlePeriod} baseline, which learns the same periods.
 *
 * <p>A sample is idle-like when its utilisation is below the threshold. A VM enters IDLE after
 * {@link #ENTER_IDLE_AFTER} idle-like samples in a row (10 minutes at 300 s a sample: one quiet
 * sample is too common to count as a period) and leaves it at the first busy sample. Both methods
 * predict at the end of the sample that completes the entry.
 */
final class TraceReplay {

  static final int ENTER_IDLE_AFTER = 2;
  static final int LEAVE_IDLE_AFTER = 1;

  private final long sampleMicros;
  private final int idleBelowPercent;

  TraceReplay(long sampleMillis, int idleBelowPercent) {
    this.sampleMicros = sampleMillis * 1000;
    this.idleBelowPercent = idleBelowPercent;
  }

  /** What the predictions made on one VM's samples turned out to be, in order. */
  Replay replay(int[] utilisationPercent) {
    IdlenessTracker tracker = new IdlenessTracker(new IdleStateMachine(ENTER_IDLE_AFTER, LEAVE_IDLE_AFTER));
    IdleTrack track = new IdleTrack();
    LastIdlePeriod baseline = new LastIdlePeriod();
    List<Outcome> outcomes = new ArrayList<>();
    int withoutHistory = 0;
    Pending pending = null;
    for (int i = 0; i < utilisationPercent.length; i++) {
      long start = i * sampleMicros;
      long end = start + sampleMicros;
      Change change = tracker.step(track, utilisationPercent[i] < idleBelowPercent, start, end).orElse(null);
      if (change == null) {
        continue;
      }
      if (change.state() == IdleState.IDLE) {
        OptionalLong last = baseline.predictRemaining(millis(end - change.sinceMicros()));
        if (change.prediction().isPresent() && last.isPresent()) {
          pending = new Pending(end, change.prediction().get(), last.getAsLong());
        } else {
          withoutHistory++;
        }
      } else {
        if (pending != null) {
          outcomes.add(pending.outcome(millis(change.sinceMicros() - pending.atMicros), false));
          pending = null;
        }
        change.endedIdleMillis().ifPresent(baseline::learn);
      }
    }
    if (pending != null) {
      outcomes.add(pending.outcome(millis(utilisationPercent.length * sampleMicros - pending.atMicros), true));
    }
    return new Replay(outcomes, withoutHistory);
  }

  /** The outcomes, and how many times a VM entered IDLE with no period behind it to predict from. */
  record Replay(List<Outcome> outcomes, int withoutHistory) {}

  private record Pending(long atMicros, Prediction prediction, long baselineMillis) {
    Outcome outcome(long actualMillis, boolean censored) {
      return new Outcome(prediction.remainingMillis(), prediction.confidence(), baselineMillis, actualMillis, censored);
    }
  }

  private static long millis(long micros) {
    return micros / 1000;
  }
}
