package io.reshape.local.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayScheduleTest {

  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
  private static final long FIRST = Instant.parse("2026-02-20T08:30:00Z").toEpochMilli();

  @Test
  void atSpeedOneARecordIsDueAsLongAfterTheStartAsItsEventTimeIsAfterTheFirst() {
    ReplaySchedule schedule = ReplaySpeed.parse("1").from(START, FIRST);

    assertThat(schedule.dueAt(FIRST)).isEqualTo(START);
    assertThat(schedule.dueAt(FIRST + 1)).isEqualTo(START.plusMillis(1));
    assertThat(schedule.dueAt(FIRST + 1_500)).isEqualTo(START.plusMillis(1_500));
    assertThat(schedule.dueAt(FIRST + 3_600_000)).isEqualTo(START.plusSeconds(3_600));
  }

  @Test
  void atSpeedNTheWaitsAreNTimesShorterOrLonger() {
    assertThat(ReplaySpeed.parse("10").from(START, FIRST).dueAt(FIRST + 1_500)).isEqualTo(START.plusMillis(150));
    assertThat(ReplaySpeed.parse("3").from(START, FIRST).dueAt(FIRST + 1_000)).isEqualTo(START.plusNanos(333_333_333));
    assertThat(ReplaySpeed.parse("0.5").from(START, FIRST).dueAt(FIRST + 1_500)).isEqualTo(START.plusSeconds(3));
  }

  @Test
  void atMaxSpeedEveryRecordIsDueAtTheStart() {
    ReplaySchedule schedule = ReplaySpeed.parse("max").from(START, FIRST);

    assertThat(schedule.dueAt(FIRST)).isEqualTo(START);
    assertThat(schedule.dueAt(FIRST + 86_400_000L * 365)).isEqualTo(START);
  }

  @Test
  void aRecordStampedBeforeTheFirstIsDueAtTheStart() {
    assertThat(ReplaySpeed.parse("1").from(START, FIRST).dueAt(FIRST - 5_000)).isEqualTo(START);
  }

  @Test
  void speedsAreANumberAboveZeroOrMax() {
    assertThat(ReplaySpeed.parse(" MAX ")).isEqualTo(ReplaySpeed.MAX);
    assertThat(ReplaySpeed.parse("2.5").factor()).isEqualTo(2.5);
    assertThat(ReplaySpeed.parse("1")).hasToString("1x");
    assertThat(ReplaySpeed.parse("0.5")).hasToString("0.5x");
    assertThat(ReplaySpeed.MAX).hasToString("max");
    for (String bad : new String[] {"0", "-2", "fast", "NaN", ""}) {
      assertThatThrownBy(() -> ReplaySpeed.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("max");
    }
  }
}
