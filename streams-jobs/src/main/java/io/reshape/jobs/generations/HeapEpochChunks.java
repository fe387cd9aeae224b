package io.reshape.jobs.generations;

import java.util.Arrays;

/** Epoch chunks in plain arrays: for the logic's own tests and its benchmarks. */
public final class HeapEpochChunks implements EpochChunks {

  private int[][] chunks = new int[0][];

  @Override
  public int[] get(int chunk) {
    return chunk < chunks.length ? chunks[chunk] : null;
  }

  @Override
  public void put(int chunk, int[] epochs) {
    if (chunk >= chunks.length) {
      chunks = Arrays.copyOf(chunks, chunk + 1);
    }
    chunks[chunk] = epochs;
  }

  @Override
  public void clear() {
    chunks = new int[0][];
  }

  /** Bytes of epochs held: the state a VM costs. */
  public long bytes() {
    return Arrays.stream(chunks).filter(c -> c != null).mapToLong(c -> 4L * c.length).sum();
  }
}
