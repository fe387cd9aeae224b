package io.reshape.jobs.kafka;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;

/**
 * The watermarks of a partition the collectors write every interval: bounded out-of-orderness,
 * and idle only when the partition has nothing to say. Before its first record it lets go soon
 * (a signal nobody collects, a partition no key falls in); once records flow, a pause is taken for
 * a pause in the input, and the partition holds event time back until it resumes or has been
 * silent for the stall timeout. A partition let go after a short silence would, when its input
 * resumes, find the other inputs' watermark already past its records: which cycle a record
 * reaches the planner in would then depend on which source happened to poll first.
 */
final class CollectedStreamWatermarks implements WatermarkGenerator<RawRecord> {

  private final long outOfOrdernessMillis;
  private final long startupIdleMillis;
  private final long stallMillis;
  private final RelativeClock clock;
  private final long createdAt;
  private long maxTimestamp = Long.MIN_VALUE;
  private long lastRecordAt = -1;

  CollectedStreamWatermarks(Duration outOfOrderness, Duration startupIdle, Duration stall, RelativeClock clock) {
    this.outOfOrdernessMillis = outOfOrderness.toMillis();
    this.startupIdleMillis = startupIdle.toMillis();
    this.stallMillis = stall.toMillis();
    this.clock = clock;
    this.createdAt = clock.relativeTimeMillis();
  }

  @Override
  public void onEvent(RawRecord record, long timestamp, WatermarkOutput output) {
    maxTimestamp = Math.max(maxTimestamp, timestamp);
    lastRecordAt = clock.relativeTimeMillis();
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    long now = clock.relativeTimeMillis();
    boolean idle = lastRecordAt < 0 ? now - createdAt >= startupIdleMillis : now - lastRecordAt >= stallMillis;
    if (idle) {
      output.markIdle();
    } else if (maxTimestamp != Long.MIN_VALUE) {
      output.emitWatermark(new Watermark(maxTimestamp - outOfOrdernessMillis - 1));
    }
  }
}
