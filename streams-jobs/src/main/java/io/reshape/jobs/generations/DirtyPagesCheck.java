package io.reshape.jobs.generations;

import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.jobs.kafka.RecordCheck;
import io.reshape.schemas.PageBitmaps;
import org.roaringbitmap.RoaringBitmap;

/** What a dirty-page record must satisfy beyond its schema. */
public final class DirtyPagesCheck implements RecordCheck<DirtyPages> {

  private static final long serialVersionUID = 1L;

  @Override
  public String problem(DirtyPages d, long recordTimestamp) {
    if (!d.getIntervalEnd().isAfter(d.getIntervalStart())) {
      return "Interval ends (" + d.getIntervalEnd() + ") before it starts (" + d.getIntervalStart() + ")";
    }
    if (d.getIntervalEnd().toEpochMilli() != recordTimestamp) {
      return "Record timestamp " + recordTimestamp + " ms is not the record's intervalEnd " + d.getIntervalEnd().toEpochMilli()
          + " ms; collectors stamp records with their event time";
    }
    if (d.getPageCount() <= 0 || d.getPageSize() <= 0) {
      return "A VM of " + d.getPageCount() + " pages of " + d.getPageSize() + " bytes";
    }
    if (d.getDirtyCount() < 0 || d.getDirtyCount() > d.getPageCount()) {
      return "dirtyCount " + d.getDirtyCount() + " of " + d.getPageCount() + " pages";
    }
    if (d.getBitmap() == null) {
      return switch (d.getSource()) {
        case DIRTY_RATE -> null;
        case UNKNOWN -> "A record without a bitmap from a source this job does not know (written with a newer schema)";
        default -> "A " + d.getSource() + " record without its bitmap";
      };
    }
    try {
      RoaringBitmap pages = PageBitmaps.decode(d.getBitmap(), d.getPageCount());
      return pages.getCardinality() == d.getDirtyCount()
          ? null : "dirtyCount " + d.getDirtyCount() + " but the bitmap holds " + pages.getCardinality() + " pages";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
