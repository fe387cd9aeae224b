package io.reshape.collectors.host;

import io.reshape.events.PageFingerprints;
import io.reshape.events.PageHash;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.PageHasher;
import io.reshape.host.ProcFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hashes of guest pages, read through {@code /proc/<pid>/mem} from QEMU's mapping of guest RAM.
 * Each interval reads the next window of at most {@code pagesPerInterval} pages, wrapping around,
 * so the cost per interval is bounded and the whole of memory is covered over time. Pages that are
 * all zero are left out.
 */
public final class FingerprintSource {

  private static final int PAGE_SIZE = 4096;

  private final String hostId;
  private final ProcFs proc;
  private final int pagesPerInterval;
  private final Map<String, Integer> cursors = new HashMap<>();

  public FingerprintSource(String hostId, ProcFs proc, int pagesPerInterval) {
    if (pagesPerInterval < 1) {
      throw new IllegalArgumentException("pagesPerInterval must be at least 1");
    }
    this.hostId = hostId;
    this.proc = proc;
    this.pagesPerInterval = pagesPerInterval;
  }

  /** The next window of the VM's pages; empty when its RAM cannot be found in the QEMU process. */
  public Optional<PageFingerprints> sample(DiscoveredVm vm, Instant now) throws IOException {
    long memory = vm.commandLine().memoryBytes();
    Optional<Long> base = proc.guestRam(vm.pid(), memory);
    if (base.isEmpty()) {
      return Optional.empty();
    }
    int pageCount = (int) (memory / PAGE_SIZE);
    int first = cursors.getOrDefault(vm.vmId(), 0) % pageCount;
    int count = Math.min(pagesPerInterval, pageCount);
    List<PageHash> hashes = new ArrayList<>();
    ByteBuffer page = ByteBuffer.allocateDirect(PAGE_SIZE);
    try (FileChannel mem = FileChannel.open(proc.memory(vm.pid()), StandardOpenOption.READ)) {
      for (int i = 0; i < count; i++) {
        int index = (first + i) % pageCount;
        page.clear();
        while (page.hasRemaining() && mem.read(page, base.get() + (long) index * PAGE_SIZE + page.position()) > 0) {
          // Read the whole page.
        }
        page.flip();
        if (page.remaining() == PAGE_SIZE && !PageHasher.isZero(page)) {
          hashes.add(new PageHash(index, PageHasher.hash(page)));
        }
      }
    }
    cursors.put(vm.vmId(), (first + count) % pageCount);
    return Optional.of(PageFingerprints.newBuilder()
        .setVmId(vm.vmId())
        .setHostId(hostId)
        .setSampledAt(now)
        .setPageSize(PAGE_SIZE)
        .setPageCount(pageCount)
        .setSamplingRatio((double) count / pageCount)
        .setPages(hashes)
        .build());
  }

  /** Drops what is remembered of a VM that is gone. */
  public void forget(String vmId) {
    cursors.remove(vmId);
  }
}
