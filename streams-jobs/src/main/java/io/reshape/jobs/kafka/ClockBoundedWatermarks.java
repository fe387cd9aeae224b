package io.reshape.jobs.kafka;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.Clock;

/**
 * Keeps records whose event time is ahead of this clock by more than the limit out of a source's
 * watermarks. Such a record is refused when it is decoded ({@link RecordAdmission}), but the
 * watermark is made before that, in the source: one record of a clock that jumped a day forward
 * would otherwise carry event time a day ahead and make every good record after it late.
 */
final class ClockBoundedWatermarks implements WatermarkGenerator<RawRecord> {

  private final WatermarkGenerator<RawRecord> watermarks;
  private final long aheadLimitMillis;
  private final Clock clock;

  ClockBoundedWatermarks(WatermarkGenerator<RawRecord> watermarks, long aheadLimitMillis, Clock clock) {
    this.watermarks = watermarks;
    this.aheadLimitMillis = aheadLimitMillis;
    this.clock = clock;
  }

  @Override
  public void onEvent(RawRecord record, long timestamp, WatermarkOutput output) {
    if (timestamp <= clock.absoluteTimeMillis() + aheadLimitMillis) {
      watermarks.onEvent(record, timestamp, output);
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    watermarks.onPeriodicEmit(output);
  }
}
