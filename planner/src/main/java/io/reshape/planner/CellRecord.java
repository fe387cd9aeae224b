package io.reshape.planner;

import io.reshape.schemas.ArrayEntries;
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
  /**
   * Feedback that came before the cycle it answers ran: keys, and the event time of their cycle.
   * A restored job re-reads outcomes from its last checkpoint on, and may read one before it has
   * made again the decision it belongs to.
   */
  public String[] early = new String[0];
  /** The event time of each early key's cycle, microseconds. */
  public long[] earlyCycles = new long[0];

  public CellRecord() {}

  public CellRecord(String cellId) {
    this.cellId = cellId;
  }

  /** Waits for {@code key} (a decision's outcome, an answer) until {@code deadlineMicros}. */
  private void await(String key, long deadlineMicros) {
    int n = awaited.length;
    awaited = Arrays.copyOf(awaited, n + 1);
    awaitedDeadlines = Arrays.copyOf(awaitedDeadlines, n + 1);
    awaited[n] = key;
    awaitedDeadlines[n] = deadlineMicros;
  }

  /** Waits for {@code key} from a cycle at {@code cycleMicros} until {@code deadlineMicros}, unless it came early. */
  public void await(String key, long cycleMicros, long deadlineMicros) {
    int i = Arrays.asList(early).indexOf(key);
    if (i >= 0 && earlyCycles[i] == cycleMicros) {
      removeEarly(i);
    } else {
      await(key, deadlineMicros);
    }
  }

  /**
   * Crosses {@code key}, the feedback of a decision or question of the cycle at {@code cycleMicros},
   * off what is waited for; kept as early if that cycle has not run yet. Null, or a key of a cycle
   * that ran and no longer waits for it, changes nothing.
   */
  public void received(String key, long cycleMicros) {
    if (key == null) {
      return;
    }
    int i = Arrays.asList(awaited).indexOf(key);
    if (i >= 0) {
      awaited = ArrayEntries.without(awaited, i);
      awaitedDeadlines = ArrayEntries.without(awaitedDeadlines, i);
    } else if (cycleMicros > lastCycleMicros && !Arrays.asList(early).contains(key)) {
      early = Arrays.copyOf(early, early.length + 1);
      earlyCycles = Arrays.copyOf(earlyCycles, earlyCycles.length + 1);
      early[early.length - 1] = key;
      earlyCycles[earlyCycles.length - 1] = cycleMicros;
    }
  }

  /** Forgets early keys of cycles up to {@code cycleMicros}, which ran without making what they answer. */
  public void forgetEarlyUpTo(long cycleMicros) {
    for (int i = early.length - 1; i >= 0; i--) {
      if (earlyCycles[i] <= cycleMicros) {
        removeEarly(i);
      }
    }
  }

  private void removeEarly(int i) {
    early = ArrayEntries.without(early, i);
    earlyCycles = ArrayEntries.without(earlyCycles, i);
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

  /** The first moment nothing is waited for any more, microseconds: just past the last deadline. */
  public long waitEndsMicros() {
    long last = Long.MIN_VALUE;
    for (long deadline : awaitedDeadlines) {
      last = Math.max(last, deadline);
    }
    return last + 1;
  }

  /** Adds a measured swap-in to the running average. */
  public void swapInTook(double millis) {
    swapInsMeasured++;
    swapInMillis += (millis - swapInMillis) / swapInsMeasured;
  }
}
