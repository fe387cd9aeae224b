package io.reshape.jobs.sharing;

import io.reshape.events.PageFingerprints;
import io.reshape.events.PageHash;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * Guest memory for tests: a content per page (0 for a zero page), read the way the collector reads
 * it, in windows that rotate through guest RAM and leave zero pages out. A content is its own hash:
 * sketches remix hashes, so small numbers serve.
 */
final class Guest {

  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final int PAGE_SIZE = 4096;

  private final long[] contents;
  private int cursor;

  private Guest(long[] contents) {
    this.contents = contents;
  }

  /** A guest of {@code pageCount} pages whose page i holds {@code content(i)}. */
  static Guest of(int pageCount, IntToLongFunction content) {
    long[] contents = new long[pageCount];
    for (int page = 0; page < pageCount; page++) {
      contents[page] = content.applyAsLong(page);
    }
    return new Guest(contents);
  }

  int pageCount() {
    return contents.length;
  }

  /** Overwrites every page with {@code content(i)}. */
  void rewrite(IntToLongFunction content) {
    for (int page = 0; page < contents.length; page++) {
      contents[page] = content.applyAsLong(page);
    }
  }

  /** The next window of at most {@code pages} pages, read {@code second} seconds after T0. */
  FingerprintWindow window(int pages, int second) {
    return FingerprintWindow.of(record("vm", "host", pages, second));
  }

  /** The next window as the collector publishes it. */
  PageFingerprints record(String vmId, String hostId, int pages, int second) {
    int count = Math.min(pages, contents.length);
    List<PageHash> hashes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int page = (cursor + i) % contents.length;
      if (contents[page] != 0) {
        hashes.add(new PageHash(page, contents[page]));
      }
    }
    cursor = (cursor + count) % contents.length;
    return PageFingerprints.newBuilder()
        .setVmId(vmId)
        .setHostId(hostId)
        .setSampledAt(at(second))
        .setPageSize(PAGE_SIZE)
        .setPageCount(contents.length)
        .setSamplingRatio((double) count / contents.length)
        .setPages(hashes)
        .build();
  }

  /** One whole pass, read in windows of {@code pages}, as a sketch of {@code size} ranks. */
  PageSketch sketch(int size, int pages) {
    SketchPasses passes = new SketchPasses();
    int second = 0;
    while (true) {
      var refreshed = passes.add(window(pages, second++), size);
      if (refreshed.isPresent() && refreshed.get().complete()) {
        return refreshed.get();
      }
    }
  }

  /** What the guests hold together, counted page by page. */
  static MemoryContents exact(Guest... guests) {
    Set<Long> distinct = new HashSet<>();
    long pages = 0;
    for (Guest guest : guests) {
      for (long content : guest.contents) {
        if (content != 0) {
          pages++;
          distinct.add(content);
        }
      }
    }
    return new MemoryContents(pages, distinct.size());
  }

  static Instant at(int second) {
    return T0.plusSeconds(second);
  }

  static long micros(int second) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, at(second));
  }
}
