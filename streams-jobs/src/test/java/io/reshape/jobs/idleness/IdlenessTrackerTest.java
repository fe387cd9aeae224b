package io.reshape.jobs.idleness;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.IdleState;
import io.reshape.jobs.idleness.IdlenessTracker.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class IdlenessTrackerTest {

  private static final long S = 1_000_000;
  private final IdlenessTracker tracker = new IdlenessTracker(new IdleStateMachine(3, 1));
  private final IdleTrack track = new IdleTrack();
  private final List<Change> changes = new ArrayList<>();
  private long second = 100;

  private void intervals(int count, boolean idle) {
    for (int i = 0; i < count; i++) {
      tracker.step(track, idle, second * S, (second + 1) * S).ifPresent(changes::add);
      second++;
    }
  }

  private Change last() {
    return changes.get(changes.size() - 1);
  }

  @Test
  void predictsEachIdlePeriodFromThePreviousOnes() {
    intervals(2, false);
    intervals(20, true);
    assertThat(changes.get(1).state()).isEqualTo(IdleState.IDLE);
    assertThat(changes.get(1).prediction()).isEmpty();
    intervals(5, false);
    assertThat(last().endedIdleMillis()).isEqualTo(OptionalLong.of(20_000));

    intervals(20, true);
    // Entered IDLE after 3 s of its 20: 17 s to go.
    assertThat(last().prediction()).hasValueSatisfying(p -> assertThat(p.remainingMillis()).isEqualTo(17_000));
    assertThat(last().endedIdleMillis()).isEmpty();
  }

  @Test
  void anIdlePeriodWithMissingIntervalsIsNotLearned() {
    intervals(2, false);
    intervals(10, true);
    second += 30; // no samples: the VM may have woken meanwhile
    intervals(10, true);
    intervals(1, false);
    assertThat(last().state()).isEqualTo(IdleState.ACTIVE);
    assertThat(last().endedIdleMillis()).isEmpty();

    intervals(3, true);
    assertThat(last().prediction()).isEmpty();
  }

  @Test
  void aGapBeforeTheIdlePeriodDoesNotStopItBeingLearned() {
    intervals(2, false);
    second += 30;
    intervals(10, true);
    intervals(1, false);
    assertThat(last().endedIdleMillis()).isEqualTo(OptionalLong.of(10_000));
  }

  @Test
  void aClockThatJumpsBackDoesNotTeachANegativeLength() {
    intervals(2, false);
    intervals(10, true);
    second -= 60;
    intervals(1, false);
    assertThat(last().endedIdleMillis().orElseThrow()).isNegative();

    intervals(3, true);
    assertThat(last().state()).isEqualTo(IdleState.IDLE);
    assertThat(last().prediction()).isEmpty();
  }
}
