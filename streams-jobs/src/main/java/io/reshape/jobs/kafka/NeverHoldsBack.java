package io.reshape.jobs.kafka;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * The watermarks of a feedback source: none, and always idle, so that wherever its records meet
 * other inputs, the others alone decide how far event time has come, and it never moves event time
 * itself, not even when every other input is quiet.
 */
final class NeverHoldsBack implements WatermarkGenerator<RawRecord> {

  @Override
  public void onEvent(RawRecord record, long timestamp, WatermarkOutput output) {
    // A feedback record says nothing about how far event time has come.
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    output.markIdle();
  }
}
