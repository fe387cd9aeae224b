package io.reshape.jobs.idleness;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.IdleState;
import io.reshape.jobs.idleness.IdleStateMachine.Transition;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdleStateMachineTest {

  private static final long S = 1_000_000;
  private final IdleStateMachine machine = new IdleStateMachine(3, 2);
  private final IdleTrack track = new IdleTrack();
  private long second;

  private Optional<Transition> interval(boolean idle) {
    Optional<Transition> t = machine.step(track, idle, second * S, (second + 1) * S);
    second++;
    return t;
  }

  @Test
  void aBusyVmIsActiveOnceLeaveCountIsReached() {
    assertThat(interval(false)).isEmpty();
    assertThat(interval(false)).contains(new Transition(IdleState.ACTIVE, 0));
    assertThat(interval(false)).isEmpty();
  }

  @Test
  void becomesIdleAfterEnoughIdleIntervalsDatedFromTheFirst() {
    interval(false);
    interval(false);
    assertThat(interval(true)).isEmpty();
    assertThat(interval(true)).isEmpty();
    assertThat(interval(true)).contains(new Transition(IdleState.IDLE, 2 * S));
    assertThat(interval(true)).isEmpty();
  }

  @Test
  void oneBusyIntervalDoesNotWakeAnIdleVm() {
    for (int i = 0; i < 3; i++) {
      interval(true);
    }
    assertThat(track.state).isEqualTo(IdleState.IDLE);
    assertThat(interval(false)).isEmpty();
    assertThat(interval(true)).isEmpty();
    assertThat(interval(false)).isEmpty();
    assertThat(interval(false)).contains(new Transition(IdleState.ACTIVE, 5 * S));
  }

  @Test
  void aFlipBeforeTheFirstDecisionRestartsTheCount() {
    interval(true);
    interval(true);
    // Two idle intervals, then busy ones: the busy streak counts from its own start.
    assertThat(interval(false)).isEmpty();
    assertThat(interval(false)).contains(new Transition(IdleState.ACTIVE, 2 * S));
  }

  @Test
  void aGapInTheSamplesRestartsTheCount() {
    interval(false);
    interval(false);
    interval(true);
    interval(true);
    second += 10; // samples lost: no evidence the VM stayed idle
    assertThat(interval(true)).isEmpty();
    assertThat(interval(true)).isEmpty();
    assertThat(interval(true)).contains(new Transition(IdleState.IDLE, 14 * S));
    assertThat(track.resumedAfterGapMicros).isEqualTo(14 * S);
  }
}
