package io.reshape.jobs.sharing;

import io.reshape.events.PageFingerprints;
import io.reshape.events.PageHash;
import io.reshape.jobs.kafka.RecordCheck;

/** What a page-fingerprints record must satisfy beyond its schema. */
public final class PageFingerprintsCheck implements RecordCheck<PageFingerprints> {

  private static final long serialVersionUID = 1L;

  @Override
  public String problem(PageFingerprints f, long recordTimestamp) {
    if (f.getSampledAt().toEpochMilli() != recordTimestamp) {
      return "Record timestamp " + recordTimestamp + " ms is not the record's sampledAt "
          + f.getSampledAt().toEpochMilli() + " ms; collectors stamp records with their event time";
    }
    if (f.getPageSize() <= 0) {
      return "Page size must be positive, got " + f.getPageSize();
    }
    if (f.getPageCount() <= 0) {
      return "Page count must be positive, got " + f.getPageCount();
    }
    double ratio = f.getSamplingRatio();
    if (!(ratio > 0 && ratio <= 1)) {
      return "Sampling ratio " + ratio + " is outside (0, 1]";
    }
    long pagesRead = FingerprintWindow.pagesRead(ratio, f.getPageCount());
    if (f.getPages().size() > pagesRead) {
      return f.getPages().size() + " page hashes, but a sampling ratio of " + ratio + " of " + f.getPageCount()
          + " pages reads only " + pagesRead;
    }
    for (PageHash page : f.getPages()) {
      if (page.getPage() < 0 || page.getPage() >= f.getPageCount()) {
        return "Page index " + page.getPage() + " is outside guest RAM of " + f.getPageCount() + " pages";
      }
    }
    return null;
  }
}
