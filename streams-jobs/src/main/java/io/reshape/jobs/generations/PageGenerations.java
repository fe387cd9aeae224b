package io.reshape.jobs.generations;

import io.reshape.schemas.ArrayEntries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.roaringbitmap.BatchIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * MiyakoDori's page generations: for each page of a VM, the epoch of its last write; for each host
 * the VM left an image on, the epoch it left at. A page is in that image as it is now when its
 * last write is no later than that epoch, so moving the VM back sends only the others.
 *
 * <p>What moving back costs is kept up to date as pages are written (a page written for the first
 * time since the VM left a host adds one to that host's count), so an answer costs nothing and no
 * state grows with the number of hosts beyond one entry per image. Writes that cannot be seen page
 * by page (a rate-only interval, a gap in the intervals, a resize) count as writes to every page.
 */
public final class PageGenerations {

  /** An answer to "what would moving the VM to this host cost". */
  public record Reuse(int pageCount, int pagesToSend, OptionalInt imageEpoch) {

    public double reuseRatio() {
      return pageCount == 0 ? 0 : 1.0 - (double) pagesToSend / pageCount;
    }
  }

  /** Distinct pages written in a window ending at the last interval; {@code complete} false makes it an upper bound. */
  public record WindowedWrites(Duration window, long writtenPages, boolean complete) {}

  private final int ringSize;
  private final int maxImages;
  private final long imageRetentionMicros;
  private final int[] batch = new int[1024];

  /**
   * @param ringSize epochs of history kept for written-set windows
   * @param maxImages images remembered per VM; past it, the oldest is forgotten
   * @param imageRetention how long a host is trusted to keep an image the VM left there
   */
  public PageGenerations(int ringSize, int maxImages, Duration imageRetention) {
    this.ringSize = ringSize;
    this.maxImages = maxImages;
    this.imageRetentionMicros = imageRetention.toNanos() / 1000;
  }

  /**
   * Records one dirty-page interval.
   *
   * @param written the pages written, or null when the interval measured only a rate
   * @param dirtyCount pages written in the interval (the rate times the interval when there is no bitmap)
   */
  public void record(GenerationState state, EpochChunks epochs, String hostId, long startMicros, long endMicros,
      int pageCount, RoaringBitmap written, int dirtyCount) throws Exception {
    arriveAt(state, hostId, startMicros);
    if (written != null && !written.isEmpty() && written.last() >= pageCount) {
      throw new IllegalArgumentException("Page " + written.last() + " written in a VM of " + pageCount + " pages");
    }
    boolean first = state.epoch == 0;
    boolean resized = !first && state.pageCount != pageCount;
    if (first) {
      state.firstStartMicros = startMicros;
    }
    if (state.pageCount != pageCount) {
      epochs.clear();
      state.pageCount = pageCount;
    }
    if (resized || (!first && startMicros > state.lastEndMicros)) {
      // What was written in the gap (or before the resize) is unknown: an epoch of its own, ending where this interval starts.
      writtenUnseen(state, newEpoch(state, startMicros));
    }
    int epoch = newEpoch(state, endMicros);
    if (written == null) {
      writtenUnseen(state, epoch);
    } else {
      write(state, epochs, written, epoch);
    }
    state.lastEndMicros = Math.max(state.lastEndMicros, endMicros);
    double seconds = (endMicros - startMicros) / 1e6;
    state.dirtyPagesPerSecond = seconds > 0 ? dirtyCount / seconds : 0;
  }

  /** Moves each written page to {@code epoch}, counting the ones that leave an image's reusable set. */
  private void write(GenerationState state, EpochChunks epochs, RoaringBitmap written, int epoch) throws Exception {
    int images = state.imageEpochs.length;
    int[] imageEpochs = state.imageEpochs;
    int[] toSend = state.imagePagesToSend;
    int[] ringLastWrites = state.ringLastWrites;
    int floor = state.floor;
    int chunkIndex = -1;
    int[] chunk = null;
    BatchIterator pages = written.getBatchIterator();
    while (pages.hasNext()) {
      int n = pages.nextBatch(batch);
      for (int i = 0; i < n; i++) {
        int page = batch[i];
        if (page >>> EpochChunks.SHIFT != chunkIndex) {
          if (chunk != null) {
            epochs.put(chunkIndex, chunk);
          }
          chunkIndex = page >>> EpochChunks.SHIFT;
          chunk = epochs.get(chunkIndex);
          if (chunk == null) {
            chunk = new int[EpochChunks.PAGES];
          }
        }
        int offset = page & (EpochChunks.PAGES - 1);
        int old = chunk[offset];
        int effective = Math.max(old, floor);
        for (int image = 0; image < images; image++) {
          if (effective <= imageEpochs[image]) {
            toSend[image]++;
          }
        }
        if (old > 0 && epoch - old < ringSize) {
          ringLastWrites[old % ringSize]--;
        }
        ringLastWrites[epoch % ringSize]++;
        chunk[offset] = epoch;
      }
    }
    if (chunk != null) {
      epochs.put(chunkIndex, chunk);
    }
  }

  /**
   * The VM runs on {@code hostId} from {@code atMicros} on: if it ran elsewhere, it left its image
   * there; if it had left one here, that image is the running VM again.
   */
  public void arriveAt(GenerationState state, String hostId, long atMicros) {
    if (hostId.equals(state.hostId)) {
      return;
    }
    if (state.hostId != null) {
      leave(state, state.hostId, atMicros);
    }
    removeImage(state, hostId);
    state.hostId = hostId;
  }

  /** The VM left {@code hostId}, leaving its memory there as of now. */
  public void leave(GenerationState state, String hostId, long atMicros) {
    removeImage(state, hostId);
    if (hostId.equals(state.hostId)) {
      state.hostId = null;
    }
    if (state.imageHosts.length == maxImages) {
      int oldest = 0;
      for (int i = 1; i < state.imageHosts.length; i++) {
        if (state.imageLeftAtMicros[i] < state.imageLeftAtMicros[oldest]) {
          oldest = i;
        }
      }
      removeImageAt(state, oldest);
    }
    int n = state.imageHosts.length;
    state.imageHosts = Arrays.copyOf(state.imageHosts, n + 1);
    state.imageEpochs = Arrays.copyOf(state.imageEpochs, n + 1);
    state.imagePagesToSend = Arrays.copyOf(state.imagePagesToSend, n + 1);
    state.imageLeftAtMicros = Arrays.copyOf(state.imageLeftAtMicros, n + 1);
    state.imageHosts[n] = hostId;
    state.imageEpochs[n] = state.epoch;
    state.imagePagesToSend[n] = 0;
    state.imageLeftAtMicros[n] = atMicros;
  }

  /** Forgets images older than the retention at {@code nowMicros}: their hosts may have let them go. */
  public void expireImages(GenerationState state, long nowMicros) {
    for (int i = state.imageHosts.length - 1; i >= 0; i--) {
      if (nowMicros - state.imageLeftAtMicros[i] > imageRetentionMicros) {
        removeImageAt(state, i);
      }
    }
  }

  /** What moving the VM to {@code hostId} would cost now. */
  public Reuse reuse(GenerationState state, String hostId) {
    if (hostId.equals(state.hostId)) {
      return new Reuse(state.pageCount, 0, OptionalInt.of(state.epoch));
    }
    int image = Arrays.asList(state.imageHosts).indexOf(hostId);
    return image < 0
        ? new Reuse(state.pageCount, state.pageCount, OptionalInt.empty())
        : new Reuse(state.pageCount, state.imagePagesToSend[image], OptionalInt.of(state.imageEpochs[image]));
  }

  /** Distinct pages written in each window, ending at the last interval recorded. */
  public List<WindowedWrites> writtenSets(GenerationState state, List<Duration> windows) {
    List<WindowedWrites> sets = new ArrayList<>();
    for (Duration window : windows) {
      long from = state.lastEndMicros - window.toNanos() / 1000;
      long pages = 0;
      boolean complete = true;
      int e = state.epoch;
      for (; e > 0 && state.epoch - e < ringSize && state.ringEndMicros[e % ringSize] > from; e--) {
        pages += state.ringLastWrites[e % ringSize];
      }
      boolean historyShort = e > 0 ? state.epoch - e >= ringSize : from < state.firstStartMicros;
      if (state.floor > e) {
        pages = state.pageCount;
        complete = false;
      } else if (historyShort) {
        complete = false;
      }
      sets.add(new WindowedWrites(window, pages, complete));
    }
    return sets;
  }

  private int newEpoch(GenerationState state, long endMicros) {
    if (state.ringEndMicros.length != ringSize) {
      state.ringEndMicros = new long[ringSize];
      state.ringLastWrites = new int[ringSize];
    }
    int epoch = ++state.epoch;
    state.ringEndMicros[epoch % ringSize] = endMicros;
    state.ringLastWrites[epoch % ringSize] = 0;
    return epoch;
  }

  /** Every page may have been written in {@code epoch}. */
  private static void writtenUnseen(GenerationState state, int epoch) {
    state.floor = epoch;
    Arrays.fill(state.imagePagesToSend, state.pageCount);
  }

  private static void removeImage(GenerationState state, String hostId) {
    int image = Arrays.asList(state.imageHosts).indexOf(hostId);
    if (image >= 0) {
      removeImageAt(state, image);
    }
  }

  private static void removeImageAt(GenerationState state, int i) {
    state.imageHosts = ArrayEntries.without(state.imageHosts, i);
    state.imageEpochs = ArrayEntries.without(state.imageEpochs, i);
    state.imagePagesToSend = ArrayEntries.without(state.imagePagesToSend, i);
    state.imageLeftAtMicros = ArrayEntries.without(state.imageLeftAtMicros, i);
  }
}
