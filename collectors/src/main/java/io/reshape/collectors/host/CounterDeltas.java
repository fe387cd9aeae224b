package io.reshape.collectors.host;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns readings of counter totals into what each counter counted since the previous reading. The
 * first reading is where counting starts: it yields nothing, since what was counted before it
 * belongs to no interval the collector saw. After that, a key that is new counted from zero (a
 * connection or interface created in the interval), one that went down restarted, and one that
 * is gone is forgotten.
 */
public final class CounterDeltas<K> {

  private Map<K, Counters> last;

  /** Counts since the previous reading, by key; empty on the first reading. */
  public Map<K, Counters> next(Map<K, Counters> totals) {
    Map<K, Counters> deltas = new HashMap<>();
    if (last != null) {
      totals.forEach((key, total) -> deltas.put(key, total.since(last.getOrDefault(key, Counters.ZERO))));
    }
    last = Map.copyOf(totals);
    return deltas;
  }
}
