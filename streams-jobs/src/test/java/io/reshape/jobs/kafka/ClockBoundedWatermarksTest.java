package io.reshape.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class ClockBoundedWatermarksTest {

  private static final long NOW = 1_000_000_000_000L;
  private final ManualClock clock = new ManualClock(NOW * 1_000_000);
  private final ClockBoundedWatermarks watermarks =
      new ClockBoundedWatermarks(new BoundedOutOfOrdernessWatermarks<>(Duration.ZERO), 300_000, clock);
  private final List<Long> emitted = new ArrayList<>();
  private final WatermarkOutput output = new WatermarkOutput() {
    @Override
    public void emitWatermark(Watermark watermark) {
      emitted.add(watermark.getTimestamp());
    }

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}
  };

  private void see(long timestamp) {
    watermarks.onEvent(new RawRecord("quanta", 0, 0, timestamp, null, null), timestamp, output);
    watermarks.onPeriodicEmit(output);
  }

  @Test
  void aRecordFromAClockThatJumpedAheadDoesNotMoveEventTime() {
    see(NOW - 1_000);
    see(NOW + Duration.ofDays(1).toMillis());
    see(NOW);
    assertThat(emitted).containsExactly(NOW - 1_001, NOW - 1_001, NOW - 1);
  }

  @Test
  void aRecordWithinTheLimitDoes() {
    see(NOW + 300_000);
    assertThat(emitted).containsExactly(NOW + 299_999);
  }
}
