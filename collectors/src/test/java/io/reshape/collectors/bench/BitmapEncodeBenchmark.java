package io.reshape.collectors.bench;

import io.reshape.schemas.PageBitmaps;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.roaringbitmap.RoaringBitmap;

/** Encoding a 4 GiB VM's dirty pages (1 Mi pages) into the Roaring wire form. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BitmapEncodeBenchmark {

  static final int PAGES_OF_4_GIB = 1 << 20;

  /** Share of the pages written, in thousandths. */
  @Param({"1", "10", "100"})
  public int perMille;

  private int[] dirty;

  @Setup
  public void dirtyPages() {
    dirty = WireSizes.randomPages(PAGES_OF_4_GIB * perMille / 1000, new SplittableRandom(perMille)).toArray();
  }

  /** From the collector's list of written pages to the bytes of the record's bitmap field. */
  @Benchmark
  public ByteBuffer encode() {
    return PageBitmaps.encode(RoaringBitmap.bitmapOf(dirty));
  }
}
