package io.reshape.jobs.sharing;

import java.util.Collection;

/**
 * What the memory of a set of VMs holds, estimated from their sketches. KSM keeps one copy of each
 * distinct content, so the difference between pages and distinct contents is what it could free.
 *
 * @param pages non-zero pages of the VMs together
 * @param distinct distinct contents among those pages
 */
public record MemoryContents(double pages, double distinct) {

  public static MemoryContents of(Collection<PageSketch> sketches) {
    int k = sketches.stream().mapToInt(s -> s.size).min().orElse(0);
    long[] union = new long[0];
    double pages = 0;
    for (PageSketch sketch : sketches) {
      union = BottomK.union(union, sketch.ranks, k);
      pages += sketch.nonZeroPages();
    }
    return new MemoryContents(pages, BottomK.distinct(union, k) * PageSketch.distinctScale(sketches));
  }

  /** Copies beyond the first of each distinct content. */
  public double mergeable() {
    return Math.max(0, pages - distinct);
  }
}
