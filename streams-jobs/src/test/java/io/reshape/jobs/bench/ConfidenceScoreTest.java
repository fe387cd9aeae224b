package io.reshape.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfidenceScoreTest {

  private final ConfidenceScore score = new ConfidenceScore();

  @Test
  void comparesConfidenceWithHowOftenTheVmStayedIdleLongEnough() {
    score.add(0.9, 10, 20, false); // hit
    score.add(0.7, 10, 5, false);  // miss
    score.add(0.3, 10, 5, false);  // miss
    score.add(0.5, 10, 12, true);  // cut short after the predicted wake-up: a hit
    score.add(0.5, 10, 3, true);   // cut short before it: unknown, skipped

    assertThat(score.hitRate()).isEqualTo(0.5);
    assertThat(score.meanConfidence()).isEqualTo(0.6, within(1e-9));
    assertThat(score.brier()).isEqualTo((0.01 + 0.49 + 0.09 + 0.25) / 4, within(1e-9));
    assertThat(score.brierOfHitRate()).isEqualTo(0.25);
    assertThat(score.bandCount(0)).isEqualTo(1);
    assertThat(score.bandHitRate(0)).isZero();
    assertThat(score.bandCount(1)).isEqualTo(1);
    assertThat(score.bandHitRate(1)).isEqualTo(1.0);
    assertThat(score.bandCount(2)).isEqualTo(2);
    assertThat(score.bandHitRate(2)).isEqualTo(0.5);
  }
}
