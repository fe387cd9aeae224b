package io.reshape.jobs.bench;

import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.jobs.generations.GenerationState;
import io.reshape.jobs.generations.HeapEpochChunks;
import io.reshape.jobs.generations.PageGenerations;
import io.reshape.schemas.PageBitmaps;
import java.time.Duration;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataOutputSerializer;
import java.time.Instant;
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

/**
 * The page-generations kernel on a 4 GiB VM (1 Mi pages) that left images on two hosts: one
 * dirty-page record read from its Avro bytes, its bitmap decoded, and every page's epoch moved.
 */
@State(Scope.Thread)
public class GenerationsBenchmark {

  public static final int PAGES = 1 << 20;
  private static final long SECOND = 1_000_000;

  /** Dirty share in tenths of a percent, spread at random or in runs of 64 pages. */
  @Param({"10-random", "10-clustered", "100-random"})
  public String dirty;

  private final PageGenerations generations = new PageGenerations(1024, 8, Duration.ofDays(1));
  private final AvroBytes<DirtyPages> reader = new AvroBytes<>(DirtyPages.class);
  private GenerationState state;
  private HeapEpochChunks epochs;
  private byte[] record;
  private long clock;

  public static int pagesPerRecord(String dirty) {
    return PAGES / 1000 * Integer.parseInt(dirty.split("-")[0]);
  }

  @Setup
  public void setUp() throws Exception {
    state = new GenerationState();
    epochs = new HeapEpochChunks();
    clock = 1_000 * SECOND;
    RoaringBitmap all = new RoaringBitmap();
    all.add(0L, PAGES);
    write("host-a", all);
    write("host-b", all);
    write("host-c", RoaringBitmap.bitmapOf(1));
    record = AvroBytes.encode(DirtyPages.newBuilder().setVmId("vm-bench").setHostId("host-c")
        .setIntervalStart(Instant.EPOCH).setIntervalEnd(Instant.EPOCH.plusSeconds(1)).setSource(DirtyPageSource.KVM_DIRTY_LOG)
        .setCollectorEpoch(1).setPageSize(4096).setGuestPhysicalBase(0).setPageCount(PAGES)
        .setDirtyCount(pagesPerRecord(dirty)).setBitmap(PageBitmaps.encode(pages(dirty))).build());
  }

  private static RoaringBitmap pages(String dirty) {
    SplittableRandom random = new SplittableRandom(7);
    RoaringBitmap pages = new RoaringBitmap();
    int run = dirty.endsWith("clustered") ? 64 : 1;
    while (pages.getCardinality() < pagesPerRecord(dirty)) {
      int start = random.nextInt(PAGES - run);
      pages.add((long) start, (long) start + run);
    }
    return pages;
  }

  private void write(String host, RoaringBitmap pages) throws Exception {
    generations.record(state, epochs, host, clock, clock + SECOND, PAGES, pages, pages.getCardinality());
    clock += SECOND;
  }

  /**
   * Bytes of state per guest page of a 4 GiB VM written all over with two images: its epochs and
   * its other state as Flink serialises them into the state backend.
   */
  public static double stateBytesPerPage() throws Exception {
    GenerationsBenchmark vm = new GenerationsBenchmark();
    vm.dirty = "10-random";
    vm.setUp();
    DataOutputSerializer out = new DataOutputSerializer(1 << 16);
    TypeInformation.of(GenerationState.class).createSerializer(new SerializerConfigImpl()).serialize(vm.state, out);
    return (double) (vm.epochs.bytes() + out.length()) / PAGES;
  }

  /** One record in: Avro, bitmap, epochs. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public int recordDirtyPages() throws Exception {
    DirtyPages d = reader.decode(record);
    RoaringBitmap written = PageBitmaps.decode(d.getBitmap(), d.getPageCount());
    generations.record(state, epochs, d.getHostId(), clock, clock + SECOND, d.getPageCount(), written, d.getDirtyCount());
    clock += SECOND;
    return state.epoch;
  }

  /** What moving the VM back to host-a costs now. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public int reuseAnswer() {
    return generations.reuse(state, "host-a").pagesToSend();
  }
}
