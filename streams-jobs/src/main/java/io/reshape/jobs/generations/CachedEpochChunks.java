package io.reshape.jobs.generations;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Epoch chunks read once and written back once for a run of records, however many of them touch
 * a chunk: a busy VM's records each touch most of its chunks, and writing them back after every
 * record was most of what the page-generations state cost.
 */
public final class CachedEpochChunks implements EpochChunks {

  private final EpochChunks store;
  private final Map<Integer, int[]> read = new HashMap<>();
  private final Set<Integer> changed = new HashSet<>();

  public CachedEpochChunks(EpochChunks store) {
    this.store = store;
  }

  @Override
  public int[] get(int chunk) throws Exception {
    if (read.containsKey(chunk)) {
      return read.get(chunk);
    }
    int[] epochs = store.get(chunk);
    read.put(chunk, epochs);
    return epochs;
  }

  @Override
  public void put(int chunk, int[] epochs) {
    read.put(chunk, epochs);
    changed.add(chunk);
  }

  @Override
  public void clear() throws Exception {
    store.clear();
    read.clear();
    changed.clear();
  }

  /** Writes each chunk that changed back to the store, once. */
  public void flush() throws Exception {
    for (int chunk : changed) {
      store.put(chunk, read.get(chunk));
    }
    changed.clear();
  }
}
