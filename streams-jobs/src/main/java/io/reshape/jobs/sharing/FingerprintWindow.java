package io.reshape.jobs.sharing;

import io.reshape.events.PageFingerprints;
import io.reshape.events.PageHash;
import io.reshape.schemas.Micros;
import java.util.List;

/**
 * One fingerprint record as a sketch takes it: the hashes of the non-zero pages read, and how much
 * of guest RAM was read to find them.
 *
 * @param hashes the hashes of the non-zero pages read, each copy once
 * @param pagesRead guest pages read, zero pages included
 * @param pageCount guest pages of the VM
 * @param pageSize bytes per page
 * @param sampledAtMicros when the pages were read, microseconds since the epoch
 */
public record FingerprintWindow(long[] hashes, long pagesRead, int pageCount, int pageSize, long sampledAtMicros) {

  public static FingerprintWindow of(PageFingerprints record) {
    List<PageHash> pages = record.getPages();
    long[] hashes = new long[pages.size()];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = pages.get(i).getHash();
    }
    return new FingerprintWindow(hashes, pagesRead(record.getSamplingRatio(), record.getPageCount()),
        record.getPageCount(), record.getPageSize(), Micros.of(record.getSampledAt()));
  }

  /** The guest pages a record read: its sampling ratio of guest RAM, in whole pages. */
  public static long pagesRead(double samplingRatio, int pageCount) {
    return Math.round(samplingRatio * pageCount);
  }
}
