package io.reshape.jobs.kafka;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * The watermarks of a feedback source: as far ahead as time goes, so that wherever its records
 * meet other inputs, the others alone decide how far event time has come.
 */
final class NeverHoldsBack implements WatermarkGenerator<RawRecord> {

  /** Not {@link Long#MAX_VALUE}, which would say the input has ended. */
  private static final Watermark AHEAD = new Watermark(Long.MAX_VALUE - 1);

  @Override
  public void onEvent(RawRecord record, long timestamp, WatermarkOutput output) {
    // A feedback record says nothing about how far event time has come.
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    output.emitWatermark(AHEAD);
  }
}
