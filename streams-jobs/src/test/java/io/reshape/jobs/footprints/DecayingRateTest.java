package io.reshape.jobs.footprints;

import static io.reshape.jobs.footprints.Samples.SECOND;
import static io.reshape.jobs.footprints.Samples.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class DecayingRateTest {

  private static final HalfLife TEN_SECONDS = new HalfLife(Duration.ofSeconds(10));
  private static final Offset<Double> CLOSE = within(1e-6);

  private final DecayingRate rate = new DecayingRate();

  private void add(double from, double to, double amount) {
    rate.add(TEN_SECONDS, at(from), at(to), amount);
  }

  private void steady(int seconds, double perSecond) {
    for (int s = 0; s < seconds; s++) {
      add(s, s + 1, perSecond);
    }
  }

  @Test
  void aSteadyRateApproachesItselfOverAFewHalfLives() {
    steady(100, 1000);
    assertThat(rate.at(TEN_SECONDS, at(100))).isCloseTo(1000 * (1 - Math.pow(2, -10)), CLOSE);
  }

  @Test
  void halvesEveryHalfLifeWithoutSamples() {
    steady(100, 1000);
    double now = rate.at(TEN_SECONDS, at(100));
    assertThat(rate.at(TEN_SECONDS, at(110))).isCloseTo(now / 2, CLOSE);
    assertThat(rate.at(TEN_SECONDS, at(130))).isCloseTo(now / 8, CLOSE);
  }

  @Test
  void oneLongIntervalCountsAsItsSecondsWould() {
    steady(10, 1000);
    DecayingRate whole = new DecayingRate();
    whole.add(TEN_SECONDS, at(0), at(10), 10_000);
    assertThat(whole.at(TEN_SECONDS, at(12))).isCloseTo(rate.at(TEN_SECONDS, at(12)), CLOSE);
  }

  @Test
  void theOrderOfSamplesDoesNotMatter() {
    List<double[]> samples = new ArrayList<>();
    Random random = new Random(7);
    for (int s = 0; s < 50; s++) {
      samples.add(new double[] {s, s + 1 + random.nextInt(3), random.nextInt(5000)});
    }
    samples.forEach(sample -> add(sample[0], sample[1], sample[2]));
    DecayingRate shuffled = new DecayingRate();
    Collections.shuffle(samples, random);
    samples.forEach(sample -> shuffled.add(TEN_SECONDS, at(sample[0]), at(sample[1]), sample[2]));
    assertThat(shuffled.at(TEN_SECONDS, at(60))).isCloseTo(rate.at(TEN_SECONDS, at(60)), CLOSE);
  }

  @Test
  void overlappingSamplesAddUpLikeTwoFlowsAtOnce() {
    add(0, 1, 1000);
    add(0, 1, 500);
    DecayingRate together = new DecayingRate();
    together.add(TEN_SECONDS, at(0), at(1), 1500);
    assertThat(rate.at(TEN_SECONDS, at(1))).isCloseTo(together.at(TEN_SECONDS, at(1)), CLOSE);
  }

  @Test
  void aGapCountsAsSilence() {
    steady(10, 1000);
    double before = rate.at(TEN_SECONDS, at(10));
    add(20, 21, 1000);
    DecayingRate last = new DecayingRate();
    last.add(TEN_SECONDS, at(20), at(21), 1000);
    assertThat(rate.at(TEN_SECONDS, at(21))).isCloseTo(before * Math.pow(2, -1.1) + last.at(TEN_SECONDS, at(21)), CLOSE);
  }

  @Test
  void readingBeforeTheNewestSampleNeverInflatesTheValue() {
    steady(10, 1000);
    assertThat(rate.at(TEN_SECONDS, at(5))).isEqualTo(rate.value);
  }

  @Test
  void countersThatWentBackwardsAndClocksThatRanBackwardsAreRefused() {
    steady(3, 1000);
    double before = rate.value;
    assertThatThrownBy(() -> add(3, 4, -10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-10");
    assertThatThrownBy(() -> add(3, 4, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> add(3, 4, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> add(4, 3, 10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs backwards");
    assertThatThrownBy(() -> add(4, 4, 10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThat(rate.value).isEqualTo(before);
    assertThat(rate.asOfMicros).isEqualTo(at(3));
  }

  @Test
  void clocksThatJumpStayFiniteAndNonNegative() {
    add(0, 1, 1000);
    rate.add(TEN_SECONDS, 0, SECOND, 1e12); // a host that thinks it is 1970
    rate.add(TEN_SECONDS, at(3.15e9), at(3.15e9 + 1), 1000); // ...or a century ahead
    add(1, 2, 1000);
    assertThat(rate.at(TEN_SECONDS, at(2))).isFinite().isNotNegative();
    assertThat(rate.at(TEN_SECONDS, at(1e10))).isFinite().isNotNegative();
  }

  @Test
  void halfLivesWeighTinySpansPrecisely() {
    // 1 - 2^(-1 us / 10 s) = x - x^2/2 + ..., where 1 - exp(-x) would keep only half the digits.
    double x = Math.log(2) / 10e6;
    assertThat(TEN_SECONDS.weightOf(1)).isCloseTo(x - x * x / 2, within(1e-21));
    assertThat(TEN_SECONDS.weightOf(0)).isZero();
    assertThat(TEN_SECONDS.decay(-SECOND)).isEqualTo(1);
    assertThat(TEN_SECONDS.seconds()).isEqualTo(10);
    assertThatThrownBy(() -> new HalfLife(Duration.ZERO)).hasMessageContaining("at least 1 us");
  }
}
