package io.reshape.local.recording;

import java.time.Instant;

/**
 * When each record of a replay is due on the wall clock: as long after the start as its event time
 * is after the first record's, divided by the speed. A record stamped before the first is due at
 * the start; at {@link ReplaySpeed#MAX} every record is.
 *
 * @param start when the first record went out
 * @param firstTimestamp the first record's timestamp, epoch milliseconds
 */
public record ReplaySchedule(ReplaySpeed speed, Instant start, long firstTimestamp) {

  public Instant dueAt(long timestamp) {
    long afterFirst = Math.max(0, timestamp - firstTimestamp);
    if (speed.equals(ReplaySpeed.MAX) || afterFirst == 0) {
      return start;
    }
    return start.plusNanos(Math.round(afterFirst * 1_000_000.0 / speed.factor()));
  }
}
