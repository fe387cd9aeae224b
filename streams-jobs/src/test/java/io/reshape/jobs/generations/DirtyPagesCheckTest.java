package io.reshape.jobs.generations;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.schemas.PageBitmaps;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class DirtyPagesCheckTest {

  private static final Instant END = Instant.parse("2026-03-01T12:00:01Z");
  private final DirtyPagesCheck check = new DirtyPagesCheck();

  private static DirtyPages.Builder valid() {
    return DirtyPages.newBuilder().setVmId("vm-1").setHostId("h1").setIntervalStart(END.minusSeconds(1)).setIntervalEnd(END)
        .setSource(DirtyPageSource.KVM_DIRTY_LOG).setCollectorEpoch(1).setPageSize(4096).setGuestPhysicalBase(0)
        .setPageCount(100).setDirtyCount(2).setBitmap(PageBitmaps.encode(RoaringBitmap.bitmapOf(3, 7)));
  }

  private String problem(DirtyPages.Builder record) {
    return check.problem(record.build(), END.toEpochMilli());
  }

  @Test
  void aRecordThatAddsUpPasses() {
    assertThat(problem(valid())).isNull();
    assertThat(problem(valid().setSource(DirtyPageSource.DIRTY_RATE).setBitmap(null).setDirtyCount(40))).as("a rate").isNull();
    assertThat(problem(valid().setSource(DirtyPageSource.UNKNOWN))).as("a newer source's bitmap is still exact").isNull();
  }

  @Test
  void whatDoesNotAddUpIsSaidInWords() {
    assertThat(problem(valid().setIntervalStart(END))).contains("before it starts");
    assertThat(check.problem(valid().build(), END.toEpochMilli() + 1)).contains("is not the record's intervalEnd");
    assertThat(problem(valid().setPageCount(0))).contains("A VM of 0 pages");
    assertThat(problem(valid().setDirtyCount(101))).contains("dirtyCount 101 of 100 pages");
    assertThat(problem(valid().setDirtyCount(3))).contains("dirtyCount 3 but the bitmap holds 2 pages");
    assertThat(problem(valid().setBitmap(null))).contains("A KVM_DIRTY_LOG record without its bitmap");
    assertThat(problem(valid().setSource(DirtyPageSource.UNKNOWN).setBitmap(null))).contains("source this job does not know");
    assertThat(problem(valid().setBitmap(PageBitmaps.encode(RoaringBitmap.bitmapOf(3, 100))))).contains("names page 100");
    assertThat(problem(valid().setBitmap(ByteBuffer.wrap(new byte[] {1, 2, 3})))).contains("Not a Roaring bitmap");
  }
}
