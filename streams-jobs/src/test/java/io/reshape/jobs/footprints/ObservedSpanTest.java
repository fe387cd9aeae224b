package io.reshape.jobs.footprints;

import static io.reshape.jobs.footprints.Samples.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ObservedSpanTest {

  private static final HalfLife HALF_LIFE = new HalfLife(Duration.ofMinutes(5));

  private final ObservedSpan span = new ObservedSpan();
  private final DecayingRate rate = new DecayingRate();

  private void add(double from, double to, double amount) {
    rate.add(HALF_LIFE, at(from), at(to), amount);
    span.cover(at(from), at(to));
  }

  @Test
  void aSteadyRateReadsTrueFromTheFirstSample() {
    add(0, 1, 1000);
    assertThat(span.read(HALF_LIFE, rate, at(1))).isCloseTo(1000, within(1e-6));
    for (int s = 1; s < 30; s++) {
      add(s, s + 1, 1000);
    }
    assertThat(span.read(HALF_LIFE, rate, at(30))).isCloseTo(1000, within(1e-6));
  }

  @Test
  void silenceSinceTheLastSampleLowersTheReading() {
    add(0, 60, 60_000);
    assertThat(span.read(HALF_LIFE, rate, at(360))).isLessThan(1000 * 0.5);
  }

  @Test
  void nothingObservedReadsZero() {
    assertThat(span.read(HALF_LIFE, rate, at(10))).isZero();
  }

  @Test
  void neverReadsMoreThanTheLargestRateObservedWhateverTheOrder() {
    Random random = new Random(3);
    List<double[]> samples = new ArrayList<>();
    double t = 0;
    for (int s = 0; s < 500; s++) {
      double from = t + random.nextDouble() * 3;
      t = from + 0.001 + random.nextDouble() * 5;
      samples.add(new double[] {from, t, random.nextDouble() * 1000 * (t - from)});
    }
    Collections.shuffle(samples, random);
    samples.forEach(sample -> add(sample[0], sample[1], sample[2]));
    for (int now = 0; now < 3000; now += 7) {
      assertThat(span.read(HALF_LIFE, rate, at(now))).isBetween(0.0, 1000.0);
    }
  }
}
