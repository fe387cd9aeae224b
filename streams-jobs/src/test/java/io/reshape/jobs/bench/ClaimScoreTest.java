package io.reshape.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimScoreTest {

  private static final long MINUTE = 60_000;
  private static final Duration T10 = Duration.ofMinutes(10);
  private static final Duration T30 = Duration.ofMinutes(30);

  private final ClaimScore score = new ClaimScore(List.of(T10, T30));

  @Test
  void countsClaimsAgainstWhatHappened() {
    score.add(20 * MINUTE, 40 * MINUTE, false); // T10 right; T30 missed
    score.add(40 * MINUTE, 5 * MINUTE, false);  // T10 and T30 claimed wrongly
    score.add(5 * MINUTE, 15 * MINUTE, false);  // T10 missed; T30 rightly not claimed
    // Cut short after 20 minutes: right for T10, unknown for T30.
    score.add(40 * MINUTE, 20 * MINUTE, true);

    assertThat(score.precision(T10)).isEqualTo(2 / 3.0, within(1e-9));
    assertThat(score.recall(T10)).isEqualTo(2 / 3.0, within(1e-9));
    assertThat(score.precision(T30)).isZero();
    assertThat(score.recall(T30)).isZero();
    // Errors of 20, 35 and 10 minutes; the cut-short period has none.
    assertThat(score.medianAbsoluteErrorMinutes()).isEqualTo(20.0);
  }

  @Test
  void aClaimNeverMadeOrNeverTrueHasNoRatio() {
    score.add(0, 0, false);
    assertThat(score.precision(T10)).isNaN();
    assertThat(score.recall(T10)).isNaN();
    assertThat(score.medianAbsoluteErrorMinutes()).isZero();
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Statistics.median(List.of(4L, 1L, 3L, 10L))).isEqualTo(3.5);
    assertThat(Statistics.median(List.of())).isNaN();
  }
}
