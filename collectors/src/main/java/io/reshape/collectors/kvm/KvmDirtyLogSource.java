package io.reshape.collectors.kvm;

import io.reshape.host.lab.KvmLabVm;

import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.schemas.PageBitmaps;
import java.time.Instant;
import org.roaringbitmap.RoaringBitmap;

/** Dirty-page records of a lab VM, straight from KVM's dirty log: exact bitmaps, every interval. */
public final class KvmDirtyLogSource {

  private final String hostId;
  private final String vmId;
  private final KvmLabVm vm;
  private long epoch;

  public KvmDirtyLogSource(String hostId, String vmId, KvmLabVm vm) {
    this.hostId = hostId;
    this.vmId = vmId;
    this.vm = vm;
  }

  /** The pages written during [start, end): the dirty log since the previous call. */
  public DirtyPages sample(Instant start, Instant end) {
    RoaringBitmap written = vm.takeDirtyPages();
    return DirtyPages.newBuilder()
        .setVmId(vmId)
        .setHostId(hostId)
        .setIntervalStart(start)
        .setIntervalEnd(end)
        .setSource(DirtyPageSource.KVM_DIRTY_LOG)
        .setCollectorEpoch(++epoch)
        .setPageSize(KvmLabVm.PAGE_SIZE)
        .setGuestPhysicalBase(0)
        .setPageCount(vm.pages())
        .setDirtyCount(written.getCardinality())
        .setBitmap(PageBitmaps.encode(written))
        .build();
  }
}
