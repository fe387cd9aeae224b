package io.reshape.collectors.host;

import io.reshape.collectors.HostCapabilities;
import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.ProcFs;
import io.reshape.host.QemuCommandLine;
import io.reshape.schemas.PageBitmaps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;
import static org.assertj.core.api.Assertions.assertThat;


class SoftDirtySourceTest {

  private static final long PRESENT = 1L << 63;
  private static final long SOFT_DIRTY = 1L << 55;

  @Test
  void aPageIsDirtyWhenItsPagemapEntryHasBit55() {
    ByteBuffer entries = ByteBuffer.allocate(6 * 8).order(ByteOrder.nativeOrder());
    entries.putLong(PRESENT | 0x1234).putLong(PRESENT | SOFT_DIRTY | 0x99).putLong(0).putLong(SOFT_DIRTY)
        .putLong(PRESENT).putLong(PRESENT | SOFT_DIRTY).flip();
    assertThat(SoftDirtySource.softDirtyPages(entries)).isEqualTo(RoaringBitmap.bitmapOf(1, 3, 5));
  }

  @TempDir
  Path root;

  @Test
  void readsTheGuestRamRangeOfThePagemapAndClearsTheBits() throws Exception {
    // A /proc laid out as the kernel's: guest RAM (4 pages) at 0x10000000 in the QEMU process.
    long base = 0x10000000L;
    Files.createDirectories(root.resolve("30"));
    Files.writeString(root.resolve("30/maps"), "10000000-10004000 rw-p 00000000 00:00 0 \n");
    Files.writeString(root.resolve("30/clear_refs"), "");
    ByteBuffer entries = ByteBuffer.allocate(4 * 8).order(ByteOrder.nativeOrder());
    entries.putLong(PRESENT).putLong(PRESENT | SOFT_DIRTY).putLong(PRESENT).putLong(SOFT_DIRTY).flip();
    try (FileChannel pagemap = FileChannel.open(root.resolve("30/pagemap"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      pagemap.write(entries, base / 4096 * 8);
    }
    DiscoveredVm vm = new DiscoveredVm("vm-30", 30,
        new QemuCommandLine(Optional.empty(), Optional.empty(), 1, 4 * 4096, Optional.empty(), List.of()));
    SoftDirtySource source = new SoftDirtySource("host", new ProcFs(root));
    Instant t0 = Instant.parse("2026-03-01T12:00:00Z");

    assertThat(source.sample(vm, t0)).as("the first call starts the interval").isEmpty();
    assertThat(Files.readString(root.resolve("30/clear_refs"))).isEqualTo("4");
    DirtyPages dirty = source.sample(vm, t0.plusSeconds(1)).orElseThrow();
    assertThat(dirty.getSource()).isEqualTo(DirtyPageSource.SOFT_DIRTY);
    assertThat(dirty.getPageCount()).isEqualTo(4);
    assertThat(PageBitmaps.decode(dirty.getBitmap(), 4)).isEqualTo(RoaringBitmap.bitmapOf(1, 3));
    assertThat(dirty.getIntervalStart()).isEqualTo(t0);
    assertThat(dirty.getIntervalEnd()).isEqualTo(t0.plusSeconds(1));
  }

  @Test
  void thereIsNoSourceWhereTheKernelDoesNotSetTheBits() {
    boolean works = SoftDirtyProbe.works(Path.of("/proc"));
    assertThat(SoftDirtySource.ifSupported("host", ProcFs.system()).isPresent()).isEqualTo(works);
    assertThat(HostCapabilities.probe(Path.of("/proc"), Path.of("/sys"), Path.of("/dev")))
        .filteredOn(c -> c.name().equals("soft-dirty")).singleElement()
        .satisfies(c -> {
          assertThat(c.available()).isEqualTo(works);
          if (!works) {
            assertThat(c.detail()).contains("does not set them");
          }
        });
  }
}
