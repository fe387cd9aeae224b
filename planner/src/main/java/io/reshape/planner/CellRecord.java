package io.reshape.planner;

import java.util.Arrays;

/**
 * What the planner remembers of a cell as a whole: how long swap-ins take (the lead time of a
 * pre-wake swap-in), and how often a waking VM found its memory already back. A Flink POJO.
 */
public class CellRecord {

  public String cellId;
  /** Measured swap-ins, count. */
  public long swapInsMeasured;
  /** Their average duration, milliseconds. */
  public double swapInMillis;
  /** VMs that woke with their memory already brought back, count. */
  public long wakesResident;
  /** VMs that woke while still paged out, count. */
  public long wakesPagedOut;
  /** Event time of the last planning cycle, microseconds; 0 before the first. */
  public long lastCycleMicros;
  /** Event time of the next planning cycle, microseconds; 0 before the cell's first input. */
  public long nextCycleMicros;
  /** What the last cycles wait for: the ids of their decisions and the keys of their questions. */
  public String[] awaited = new String[0];
  /** Until when each is waited for, microseconds of event time (the decision's deadline). */
  public long[] awaitedDeadlines = new long[0];

  public CellRecord() {}

  public CellRecord(String cellId) {
    this.cellId = cellId;
  }

  /** Waits for {@code key} (a decision's outcome, an answer) until {@code deadlineMicros}. */
  public void await(String key, long deadlineMicros) {
    int n = awaited.length;
    awaited = Arrays.copyOf(awaited, n + 1);
    awaitedDeadlines = Arrays.copyOf(awaitedDeadlines, n + 1);
    awaited[n] = key;
    awaitedDeadlines[n] = deadlineMicros;
  }

  /** Crosses {@code key} off what is waited for; null or a key not waited for changes nothing. */
  public void received(String key) {
    int i = key == null ? -1 : Arrays.asList(awaited).indexOf(key);
    if (i < 0) {
      return;
    }
    String[] keys = new String[awaited.length - 1];
    long[] deadlines = new long[keys.length];
    for (int j = 0, k = 0; j < awaited.length; j++) {
      if (j != i) {
        keys[k] = awaited[j];
        deadlines[k++] = awaitedDeadlines[j];
      }
    }
    awaited = keys;
    awaitedDeadlines = deadlines;
  }

  /** Whether a cycle must still wait, event time being at {@code nowMicros}: something awaited has not come, and its deadline is not past. */
  public boolean waiting(long nowMicros) {
    for (long deadline : awaitedDeadlines) {
      if (deadline >= nowMicros) {
        return true;
      }
    }
    return false;
  }

  /** Adds a measured swap-in to the running average. */
  public void swapInTook(double millis) {
    swapInsMeasured++;
    swapInMillis += (millis - swapInMillis) / swapInsMeasured;
  }
}
