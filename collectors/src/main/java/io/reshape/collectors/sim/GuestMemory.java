package io.reshape.collectors.sim;

import io.reshape.events.DirtyPageSource;
import org.roaringbitmap.RoaringBitmap;

/** Where a simulated VM's writes land: a model of memory, or a real VM's memory under KVM. */
interface GuestMemory extends AutoCloseable {

  int pageCount();

  /** What the published bitmaps are. */
  DirtyPageSource source();

  /** Writes the pages the workload chose (numbers in [0, pageCount)); returns the pages seen written. */
  RoaringBitmap write(RoaringBitmap chosen);

  @Override
  void close();

  /** Memory that is only a model: what was chosen is what was written. */
  static GuestMemory modelled(int pageCount) {
    return new GuestMemory() {
      @Override
      public int pageCount() {
        return pageCount;
      }

      @Override
      public DirtyPageSource source() {
        return DirtyPageSource.SIMULATED;
      }

      @Override
      public RoaringBitmap write(RoaringBitmap chosen) {
        return chosen;
      }

      @Override
      public void close() {}
    };
  }
}
