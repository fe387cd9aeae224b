package io.reshape.jobs.footprints;

import static io.reshape.jobs.footprints.Samples.window;
import static io.reshape.jobs.footprints.Samples.writtenSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.WrittenSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class WrittenSetCheckTest {

  private final WrittenSetCheck check = new WrittenSetCheck();
  private final WrittenSet good = writtenSet("vm-a", 10, 3.5, window(10, 100, true), window(60, 400, false));

  private String problem(WrittenSet.Builder set) {
    WrittenSet s = set.build();
    return check.problem(s, s.getComputedAt().toEpochMilli());
  }

  @Test
  void aPlausibleWrittenSetPasses() {
    assertThat(problem(WrittenSet.newBuilder(good))).isNull();
  }

  @Test
  void dirtyRatesMustBeFiniteAndNotNegative() {
    assertThat(problem(WrittenSet.newBuilder(good).setDirtyPagesPerSecond(-1))).contains("dirtyPagesPerSecond is -1.0");
    assertThat(problem(WrittenSet.newBuilder(good).setDirtyPagesPerSecond(Double.NaN))).contains("NaN");
    assertThat(problem(WrittenSet.newBuilder(good).setDirtyPagesPerSecond(Double.POSITIVE_INFINITY))).contains("Infinity");
  }

  @Test
  void windowsMustBeThereShortestFirstAndWithinTheGuest() {
    assertThat(problem(WrittenSet.newBuilder(good).setWindows(List.of()))).contains("No windows");
    assertThat(problem(WrittenSet.newBuilder(good).setWindows(List.of(window(60, 1, true), window(10, 1, true)))))
        .contains("shortest first: 10 s after 60 s");
    assertThat(problem(WrittenSet.newBuilder(good).setWindows(List.of(window(0, 1, true))))).contains("positive");
    assertThat(problem(WrittenSet.newBuilder(good).setWindows(List.of(window(10, -1, true))))).contains("-1 pages written");
    assertThat(problem(WrittenSet.newBuilder(good).setWindows(List.of(window(10, 1 << 20, true))))).contains("of a guest of 262144 pages");
    assertThat(problem(WrittenSet.newBuilder(good).setPageCount(0))).contains("Guest of 0 pages");
  }

  @Test
  void theRecordTimestampMustBeTheEventTime() {
    assertThat(check.problem(good, good.getComputedAt().toEpochMilli() + 5)).contains("is not the written set's computedAt");
  }
}
