package io.reshape.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TraceReplayTest {

  private static final long MINUTE = 60_000;
  private static final int BUSY = 50;
  private static final int QUIET = 2;

  private final TraceReplay replay = new TraceReplay(5 * MINUTE, 10);

  /** Samples of 5 minutes: for each run length given, a busy sample, then that many quiet ones. */
  private static int[] trace(int... idleRuns) {
    return Arrays.stream(idleRuns)
        .flatMap(run -> IntStream.concat(IntStream.of(BUSY), IntStream.generate(() -> QUIET).limit(run)))
        .toArray();
  }

  private static int[] then(int[] trace, int... more) {
    return IntStream.concat(Arrays.stream(trace), Arrays.stream(more)).toArray();
  }

  @Test
  void regularIdlePeriodsArePredictedByBoth() {
    TraceReplay.Replay r = replay.replay(then(trace(6, 6, 6, 6), BUSY));
    // The first period has nothing behind it; each later one is entered after 10 of its 30 minutes.
    assertThat(r.withoutHistory()).isEqualTo(1);
    assertThat(r.outcomes()).hasSize(3).allSatisfy(o -> {
      assertThat(o.predictorMillis()).isEqualTo(20 * MINUTE);
      assertThat(o.baselineMillis()).isEqualTo(20 * MINUTE);
      assertThat(o.actualMillis()).isEqualTo(20 * MINUTE);
      assertThat(o.censored()).isFalse();
    });
    assertThat(r.outcomes().get(0).confidence()).isEqualTo(0.6, within(1e-9));
  }

  @Test
  void thePredictorAveragesWhereTheBaselineCopiesTheLastPeriod() {
    Outcome[] o = replay.replay(then(trace(6, 2, 4), BUSY)).outcomes().toArray(Outcome[]::new);
    // After a 30-minute period both expect 30 minutes; it lasts 10.
    assertThat(o[0]).isEqualTo(new Outcome(20 * MINUTE, 0.6, 20 * MINUTE, 0, false));
    // The average of 30 then 10 minutes is 25; the last period was 10.
    assertThat(o[1].predictorMillis()).isEqualTo(15 * MINUTE);
    assertThat(o[1].baselineMillis()).isZero();
    assertThat(o[1].actualMillis()).isEqualTo(10 * MINUTE);
  }

  @Test
  void aPeriodTheTraceCutsShortIsCensored() {
    TraceReplay.Replay r = replay.replay(trace(6, 5));
    assertThat(r.outcomes()).singleElement().satisfies(o -> {
      assertThat(o.censored()).isTrue();
      assertThat(o.actualMillis()).isEqualTo(15 * MINUTE);
    });
  }

  @Test
  void oneQuietSampleIsNoIdlePeriod() {
    TraceReplay.Replay r = replay.replay(then(trace(1, 1, 1, 6, 1, 6), BUSY));
    assertThat(r.withoutHistory()).isEqualTo(1);
    assertThat(r.outcomes()).hasSize(1);
  }

  @Test
  void aThresholdIsAStrictUpperBound() {
    int[] atThreshold = {BUSY, 10, 10, 10, BUSY, 10, 10, 10, BUSY};
    assertThat(replay.replay(atThreshold).withoutHistory()).isZero();
    assertThat(new TraceReplay(5 * MINUTE, 11).replay(atThreshold).outcomes()).hasSize(1);
  }
}
