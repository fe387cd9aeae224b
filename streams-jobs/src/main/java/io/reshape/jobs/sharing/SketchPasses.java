package io.reshape.jobs.sharing;

import java.util.Optional;

/**
 * Keeps a VM's sketch fresh. The collector reads guest RAM in windows that rotate through it, so
 * one record covers only part of a VM: records are gathered into a pass until the pass has read as
 * many pages as the VM has, and each completed pass replaces the sketch. Contents that changed or
 * went away thus age out after one pass, and a VM whose memory changes completely looks new after
 * the next pass. A window that straddles the end of a pass belongs to it whole; its coverage
 * above 1 is scaled away (see {@link PageSketch}).
 *
 * <p>Until the first pass completes, the pass in progress is published whenever the pages it read
 * cross a power of two: a new VM is compared early, a handful of times, rather than once a record.
 *
 * <p>A Flink POJO.
 */
public class SketchPasses {

  /** The sketch last published: the latest completed pass, or the first pass in progress. */
  public PageSketch published;
  /** The pass being gathered; null between passes. */
  public PageSketch inProgress;

  public SketchPasses() {}

  /** Adds one record's window; returns the sketch to publish when this window refreshed it. */
  public Optional<PageSketch> add(FingerprintWindow window, int sketchSize) {
    if (inProgress == null || inProgress.pageCount != window.pageCount()) {
      // A resized VM starts a pass over: windows of the old size no longer add up to its RAM.
      inProgress = PageSketch.empty(sketchSize, window.pageCount(), window.pageSize());
    }
    long readBefore = inProgress.pagesRead;
    inProgress = inProgress.plus(window);
    if (inProgress.complete()) {
      published = inProgress;
      inProgress = null;
      return Optional.of(published);
    }
    boolean firstPass = published == null || !published.complete();
    if (firstPass && Long.highestOneBit(inProgress.pagesRead) > Long.highestOneBit(readBefore)) {
      published = inProgress;
      return Optional.of(published);
    }
    return Optional.empty();
  }
}
