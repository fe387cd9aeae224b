package io.reshape.collectors.host;

import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.ProcFs;
import io.reshape.schemas.PageBitmaps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.roaringbitmap.RoaringBitmap;

/**
 * Exact dirty-page bitmaps of QEMU guests from the kernel's soft-dirty bits, the production path on
 * distro kernels: writing {@code 4} to {@code /proc/<pid>/clear_refs} clears the bits of the QEMU
 * process, and bit 55 of each page's entry in {@code /proc/<pid>/pagemap} says whether the page was
 * written since. Only the guest-RAM mapping is read. Kernels built without soft-dirty accept the
 * {@code 4} and never set the bit, which would read as "nothing written": so the source exists only
 * where {@link SoftDirtyProbe} has seen the bits work.
 */
public final class SoftDirtySource {

  private static final int PAGE_SIZE = 4096;
  private static final int ENTRY = Long.BYTES;
  private static final long SOFT_DIRTY = 1L << 55;

  private final String hostId;
  private final ProcFs proc;
  private final Map<String, Long> epochs = new HashMap<>();
  private final Map<String, Instant> intervalStarts = new HashMap<>();

  SoftDirtySource(String hostId, ProcFs proc) {
    this.hostId = hostId;
    this.proc = proc;
  }

  /** The source, where this kernel sets soft-dirty bits; empty where it does not. */
  public static Optional<SoftDirtySource> ifSupported(String hostId, ProcFs proc) {
    return SoftDirtyProbe.works(proc.root()) ? Optional.of(new SoftDirtySource(hostId, proc)) : Optional.empty();
  }

  /** Clears the soft-dirty bits of the VM's QEMU process: the next interval starts now. */
  private void reset(DiscoveredVm vm, Instant now) throws IOException {
    Files.writeString(proc.root().resolve(Long.toString(vm.pid())).resolve("clear_refs"), "4", StandardCharsets.US_ASCII);
    intervalStarts.put(vm.vmId(), now);
  }

  /**
   * The guest pages written since the previous call, and a new interval started. The first call
   * for a VM only starts one: the bits from before say nothing about an interval.
   */
  public Optional<DirtyPages> sample(DiscoveredVm vm, Instant now) throws IOException {
    Instant start = intervalStarts.get(vm.vmId());
    if (start == null) {
      reset(vm, now);
      return Optional.empty();
    }
    long memory = vm.commandLine().memoryBytes();
    Optional<Long> base = proc.guestRam(vm.pid(), memory);
    if (base.isEmpty()) {
      return Optional.empty();
    }
    int pageCount = (int) (memory / PAGE_SIZE);
    ByteBuffer entries = ByteBuffer.allocate(pageCount * ENTRY).order(ByteOrder.nativeOrder());
    try (FileChannel pagemap = FileChannel.open(proc.root().resolve(Long.toString(vm.pid())).resolve("pagemap"), StandardOpenOption.READ)) {
      long offset = base.get() / PAGE_SIZE * ENTRY;
      while (entries.hasRemaining() && pagemap.read(entries, offset + entries.position()) > 0) {
        // Read every entry of the range.
      }
    }
    reset(vm, now);
    RoaringBitmap written = softDirtyPages(entries.flip());
    return Optional.of(DirtyPages.newBuilder()
        .setVmId(vm.vmId())
        .setHostId(hostId)
        .setIntervalStart(start)
        .setIntervalEnd(now)
        .setSource(DirtyPageSource.SOFT_DIRTY)
        .setCollectorEpoch(epochs.merge(vm.vmId(), 1L, Long::sum))
        .setPageSize(PAGE_SIZE)
        .setGuestPhysicalBase(0)
        .setPageCount(pageCount)
        .setDirtyCount(written.getCardinality())
        .setBitmap(PageBitmaps.encode(written))
        .build());
  }

  /** Indexes of the pagemap entries (native-order 64-bit words) whose soft-dirty bit is set. */
  static RoaringBitmap softDirtyPages(ByteBuffer entries) {
    RoaringBitmap pages = new RoaringBitmap();
    ByteBuffer words = entries.duplicate().order(ByteOrder.nativeOrder());
    for (int page = 0; words.remaining() >= ENTRY; page++) {
      if ((words.getLong() & SOFT_DIRTY) != 0) {
        pages.add(page);
      }
    }
    return pages;
  }

  /** Drops what is remembered of a VM that is gone. */
  public void forget(String vmId) {
    epochs.remove(vmId);
    intervalStarts.remove(vmId);
  }
}
