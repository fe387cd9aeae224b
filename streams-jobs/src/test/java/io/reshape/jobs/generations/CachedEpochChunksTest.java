package io.reshape.jobs.generations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachedEpochChunksTest {

  /** Heap chunks that count what reaches them. */
  private static final class CountingChunks implements EpochChunks {
    final HeapEpochChunks heap = new HeapEpochChunks();
    final List<Integer> reads = new ArrayList<>();
    final List<Integer> writes = new ArrayList<>();

    @Override
    public int[] get(int chunk) {
      reads.add(chunk);
      return heap.get(chunk);
    }

    @Override
    public void put(int chunk, int[] epochs) {
      writes.add(chunk);
      heap.put(chunk, epochs.clone());
    }

    @Override
    public void clear() {
      heap.clear();
    }
  }

  private final CountingChunks store = new CountingChunks();
  private final CachedEpochChunks cached = new CachedEpochChunks(store);

  @Test
  void aChunkTouchedByManyWritesIsReadOnceAndWrittenOnce() throws Exception {
    int[] chunk = new int[EpochChunks.PAGES];
    for (int epoch = 1; epoch <= 10; epoch++) {
      int[] epochs = cached.get(0) == null ? chunk : cached.get(0);
      epochs[epoch] = epoch;
      cached.put(0, epochs);
    }
    assertThat(store.writes).isEmpty();
    cached.flush();
    assertThat(store.reads).containsExactly(0);
    assertThat(store.writes).containsExactly(0);
    assertThat(store.heap.get(0)[10]).isEqualTo(10);
    cached.flush();
    assertThat(store.writes).containsExactly(0);
  }

  @Test
  void aChunkOnlyReadIsNotWrittenBack() throws Exception {
    store.put(3, new int[EpochChunks.PAGES]);
    store.writes.clear();
    cached.get(3);
    cached.get(5);
    cached.flush();
    assertThat(store.writes).isEmpty();
  }

  @Test
  void clearingDropsWhatTheCacheAndTheStoreHeld() throws Exception {
    cached.put(1, new int[EpochChunks.PAGES]);
    cached.clear();
    cached.flush();
    assertThat(cached.get(1)).isNull();
    assertThat(store.writes).isEmpty();
  }
}
