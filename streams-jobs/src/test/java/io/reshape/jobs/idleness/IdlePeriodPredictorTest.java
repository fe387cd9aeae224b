package io.reshape.jobs.idleness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reshape.jobs.idleness.IdlePeriodPredictor.Prediction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdlePeriodPredictorTest {

  private static final long MINUTE = Duration.ofMinutes(1).toMillis();

  private final IdlePeriodPredictor predictor = new IdlePeriodPredictor();

  private void learn(int times, long lengthMillis) {
    for (int i = 0; i < times; i++) {
      predictor.learn(lengthMillis);
    }
  }

  private Prediction predict(long elapsedMillis) {
    return predictor.predict(elapsedMillis).orElseThrow();
  }

  @Test
  void predictsNothingBeforeTheFirstPeriodEnds() {
    assertThat(predictor.predict(0)).isEmpty();
    assertThat(predictor.predict(10 * MINUTE)).isEmpty();
  }

  @Test
  void afterOnePeriodExpectsTheSameLengthWithoutClaimingCertainty() {
    predictor.learn(60 * MINUTE);
    Prediction p = predict(10 * MINUTE);
    assertThat(p.remainingMillis()).isEqualTo(50 * MINUTE);
    assertThat(p.confidence()).isEqualTo(0.6, within(1e-9));
  }

  @Test
  void regularPeriodsGiveAnAccurateAndConfidentPrediction() {
    learn(20, 30 * MINUTE);
    Prediction p = predict(5 * MINUTE);
    assertThat(p.remainingMillis()).isEqualTo(25 * MINUTE);
    assertThat(p.confidence()).isGreaterThan(0.85);
  }

  @Test
  void irregularPeriodsGiveAConfidenceNearOneHalf() {
    for (int i = 0; i < 10; i++) {
      predictor.learn(10 * MINUTE);
      predictor.learn(100 * MINUTE);
    }
    Prediction p = predict(5 * MINUTE);
    // Between the two lengths: half the periods end before it.
    assertThat(p.remainingMillis() + 5 * MINUTE).isBetween(10 * MINUTE, 100 * MINUTE);
    assertThat(p.confidence()).isBetween(0.4, 0.6);
  }

  @Test
  void zeroAndNegativeLengthsAreNotLearned() {
    predictor.learn(0);
    predictor.learn(-5 * MINUTE);
    assertThat(predictor.predict(0)).isEmpty();

    learn(3, 20 * MINUTE);
    predictor.learn(-20 * MINUTE);
    assertThat(predict(0).remainingMillis()).isEqualTo(20 * MINUTE);
    assertThat(predictor.remembered).isEqualTo(3);
  }

  @Test
  void aNegativeElapsedTimeCountsAsJustStarted() {
    learn(3, 20 * MINUTE);
    assertThat(predict(-7 * MINUTE)).isEqualTo(predict(0));
  }

  @Test
  void anOutlivedAverageBacksOffToAsLongAgain() {
    learn(16, 10 * MINUTE);
    Prediction p = predict(60 * MINUTE);
    assertThat(p.remainingMillis()).isEqualTo(60 * MINUTE);
    // No remembered period lasted an hour: nothing to go on but the prior.
    assertThat(p.confidence()).isEqualTo(0.5, within(1e-9));
  }

  @Test
  void veryLongPeriodsArePredictedWithoutOverflow() {
    long year = Duration.ofDays(365).toMillis();
    learn(5, year);
    Prediction p = predict(Duration.ofDays(1).toMillis());
    assertThat(p.remainingMillis()).isEqualTo(year - Duration.ofDays(1).toMillis());
    assertThat(p.confidence()).isGreaterThan(0.6);
  }

  @Test
  void oneVeryLongPeriodDoesNotDominateTheAverage() {
    learn(16, 10 * MINUTE);
    predictor.learn(Duration.ofDays(365).toMillis());
    predictor.learn(10 * MINUTE);
    // Unclipped, the average would now expect months.
    assertThat(predict(0).remainingMillis()).isLessThan(20 * MINUTE);
  }

  @Test
  void followsPeriodsThatSuddenlyGrowLonger() {
    learn(16, 10 * MINUTE);
    learn(8, 60 * MINUTE);
    assertThat(predict(0).remainingMillis()).isBetween(48 * MINUTE, 60 * MINUTE);
    learn(8, 60 * MINUTE);
    // The short periods have left the memory: confident again.
    assertThat(predict(0).confidence()).isGreaterThan(0.85);
  }

  @Test
  void followsPeriodsThatSuddenlyGrowShorter() {
    learn(16, 60 * MINUTE);
    learn(8, 10 * MINUTE);
    assertThat(predict(0).remainingMillis()).isBetween(10 * MINUTE, 16 * MINUTE);
    learn(8, 10 * MINUTE);
    assertThat(predict(0).remainingMillis()).isBetween(10 * MINUTE, 11 * MINUTE);
  }

  @Test
  void itsStateStaysTheSameSize() {
    learn(1000, 10 * MINUTE);
    assertThat(predictor.recentMillis).hasSize(IdlePeriodPredictor.MEMORY);
    assertThat(predictor.remembered).isEqualTo(IdlePeriodPredictor.MEMORY);
  }
}
