package io.reshape.jobs.footprints;

import io.reshape.events.WindowedWrites;
import io.reshape.events.WrittenSet;
import io.reshape.jobs.kafka.RecordCheck;
import java.util.List;

/** What a written set must satisfy beyond its schema. */
public final class WrittenSetCheck implements RecordCheck<WrittenSet> {

  private static final long serialVersionUID = 1L;

  @Override
  public String problem(WrittenSet s, long recordTimestamp) {
    if (s.getComputedAt().toEpochMilli() != recordTimestamp) {
      return "Record timestamp " + recordTimestamp + " ms is not the written set's computedAt "
          + s.getComputedAt().toEpochMilli() + " ms";
    }
    if (s.getPageCount() <= 0) {
      return "Guest of " + s.getPageCount() + " pages";
    }
    double dirty = s.getDirtyPagesPerSecond();
    if (!(dirty >= 0) || Double.isInfinite(dirty)) {
      return "dirtyPagesPerSecond is " + dirty;
    }
    List<WindowedWrites> windows = s.getWindows();
    if (windows.isEmpty()) {
      return "No windows";
    }
    int previousSeconds = 0;
    for (WindowedWrites w : windows) {
      if (w.getWindowSeconds() <= previousSeconds) {
        return "Windows must be positive and shortest first: " + w.getWindowSeconds() + " s after " + previousSeconds + " s";
      }
      if (w.getWrittenPages() < 0 || w.getWrittenPages() > s.getPageCount()) {
        return w.getWrittenPages() + " pages written in the " + w.getWindowSeconds() + " s window of a guest of "
            + s.getPageCount() + " pages";
      }
      previousSeconds = w.getWindowSeconds();
    }
    return null;
  }
}
