package io.reshape.jobs.sharing;

import java.util.Collection;
import java.util.List;

/**
 * A fixed-size summary of the page contents a VM was seen to hold: the k smallest ranks of the
 * hashes of its non-zero pages (a bottom-k, or K-minimum-values, sketch), with how many pages were
 * read to find them. Two sketches give the Jaccard similarity and the shared contents of two VMs in
 * O(k); a union of sketches gives the distinct contents of several VMs together.
 *
 * <p>Scaling to the whole VM: non-zero pages scale by the share of guest RAM read ({@link
 * #coverage}). Distinct contents scale the same way while less than all of it was read, as if the
 * part not yet read repeated the part read: copies split between the two parts are missed, so
 * until a whole pass has been read this understates, on average, what KSM could merge (and the
 * similarity of two VMs, whose common contents may lie in parts not yet read). Once
 * coverage reaches 1 the distinct contents are those of the whole VM and are not scaled: pages
 * read twice (the last window of a pass wrapping around) add no new contents.
 *
 * <p>A Flink POJO, used as a value: {@link #plus} returns a new sketch.
 */
public class PageSketch {

  /** The smallest ranks of the distinct contents read, ascending, at most {@link #size} of them. */
  public long[] ranks;
  /** k: how many ranks the sketch keeps. */
  public int size;
  /** Non-zero pages read, each copy counted. */
  public long sampledPages;
  /** Guest pages read, zero pages included. */
  public long pagesRead;
  /** Guest pages of the VM. */
  public int pageCount;
  /** Bytes per page. */
  public int pageSize;
  /** Event time of the latest window in the sketch, microseconds since the epoch. */
  public long sampledUntilMicros;

  public PageSketch() {}

  public static PageSketch empty(int size, int pageCount, int pageSize) {
    if (size < 2) {
      throw new IllegalArgumentException("A sketch needs at least 2 ranks, got " + size);
    }
    PageSketch sketch = new PageSketch();
    sketch.ranks = new long[0];
    sketch.size = size;
    sketch.pageCount = pageCount;
    sketch.pageSize = pageSize;
    return sketch;
  }

  /** This sketch with one more window of pages. */
  public PageSketch plus(FingerprintWindow window) {
    PageSketch next = new PageSketch();
    next.ranks = BottomK.union(ranks, BottomK.sortedRanks(window.hashes()), size);
    next.size = size;
    next.sampledPages = sampledPages + window.hashes().length;
    next.pagesRead = pagesRead + window.pagesRead();
    next.pageCount = pageCount;
    next.pageSize = pageSize;
    next.sampledUntilMicros = Math.max(sampledUntilMicros, window.sampledAtMicros());
    return next;
  }

  /** How many times over guest RAM was read; 1 is a whole pass. */
  public double coverage() {
    return (double) pagesRead / pageCount;
  }

  /** Whether the windows read add up to the whole of guest RAM. */
  public boolean complete() {
    return pagesRead >= pageCount;
  }

  /** Non-zero pages of the VM, estimated. */
  public double nonZeroPages() {
    return sampledPages == 0 ? 0 : sampledPages / coverage();
  }

  /** Distinct contents of the VM, estimated. */
  public double distinctContents() {
    return MemoryContents.of(List.of(this)).distinct();
  }

  /** Similarity and shared contents of this VM and another; O(k). */
  public Overlap overlapWith(PageSketch other) {
    int k = Math.min(size, other.size);
    long[] a = ranks;
    long[] b = other.ranks;
    int i = 0;
    int j = 0;
    int union = 0;
    int common = 0;
    long largest = 0;
    // Walk the k smallest ranks of the union: a uniform sample of both VMs' distinct contents.
    while (union < k && (i < a.length || j < b.length)) {
      if (j == b.length || (i < a.length && a[i] < b[j])) {
        largest = a[i++];
      } else if (i == a.length || b[j] < a[i]) {
        largest = b[j++];
      } else {
        largest = a[i++];
        j++;
        common++;
      }
      union++;
    }
    if (union == 0) {
      return new Overlap(0, 0, 0);
    }
    double similarity = (double) common / union;
    double distinct = BottomK.distinct(union, largest, k) * distinctScale(List.of(this, other));
    return new Overlap(similarity, similarity * distinct, union);
  }

  /**
   * The factor from distinct contents read to distinct contents held, for VMs read to different
   * extents: each VM's 1 / min(coverage, 1), weighted by the pages read from it.
   */
  static double distinctScale(Collection<PageSketch> sketches) {
    double sampled = 0;
    double scaled = 0;
    for (PageSketch sketch : sketches) {
      if (sketch.sampledPages > 0) {
        sampled += sketch.sampledPages;
        scaled += sketch.sampledPages / Math.min(sketch.coverage(), 1);
      }
    }
    return sampled == 0 ? 0 : scaled / sampled;
  }
}
