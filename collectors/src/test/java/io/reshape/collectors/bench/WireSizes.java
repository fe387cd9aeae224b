package io.reshape.collectors.bench;

import io.reshape.schemas.PageBitmaps;
import java.util.SplittableRandom;
import org.roaringbitmap.RoaringBitmap;

/** Bytes a dirty-page bitmap costs on the wire, for pages written at random or in runs. */
final class WireSizes {

  private WireSizes() {}

  static RoaringBitmap randomPages(int count, SplittableRandom random) {
    RoaringBitmap pages = new RoaringBitmap();
    while (pages.getCardinality() < count) {
      pages.add(random.nextInt(BitmapEncodeBenchmark.PAGES_OF_4_GIB));
    }
    return pages;
  }

  /** Written in runs of 64 pages (256 KiB), as a guest writing buffers does. */
  static RoaringBitmap clusteredPages(int count, SplittableRandom random) {
    RoaringBitmap pages = new RoaringBitmap();
    while (pages.getCardinality() < count) {
      int start = random.nextInt(BitmapEncodeBenchmark.PAGES_OF_4_GIB - 64);
      pages.add((long) start, (long) start + Math.min(64, count - pages.getCardinality()));
    }
    return pages;
  }

  static int bytes(RoaringBitmap pages) {
    return PageBitmaps.encode(pages).remaining();
  }
}
