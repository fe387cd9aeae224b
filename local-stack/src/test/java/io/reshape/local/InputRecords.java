package io.reshape.local;

import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.events.HostInventory;
import io.reshape.events.HostRole;
import io.reshape.events.InventoryRecord;
import io.reshape.events.VmInventory;
import io.reshape.events.VmState;
import io.reshape.schemas.PageBitmaps;
import java.time.Instant;
import org.roaringbitmap.RoaringBitmap;

/** Input records as a collector would write them, for the tests and benchmarks that feed jobs by hand. */
public final class InputRecords {

  static final int PAGE_SIZE = 4096;

  private InputRecords() {}

  /** A bare-metal host of {@code cores} cores of 1000 MIPS and {@code memoryBytes} of RAM, as the inventory lists it. */
  public static InventoryRecord host(String host, int cores, long memoryBytes, Instant at) {
    HostInventory inventory = HostInventory.newBuilder().setHostId(host).setRole(HostRole.BARE_METAL).setCores(cores).setCoreMips(1000)
        .setMemoryBytes(memoryBytes).setSwapBytes(memoryBytes).setKsmEnabled(false).setPricePerHour(0).build();
    return new InventoryRecord(at, inventory);
  }

  /** A running VM of one vCPU and {@code pages} pages, on {@code host}, as the inventory lists it. */
  public static InventoryRecord placed(String vm, String host, int pages, Instant at) {
    VmInventory inventory = VmInventory.newBuilder().setVmId(vm).setHostId(host).setVcpus(1).setMemoryBytes((long) pages * PAGE_SIZE)
        .setState(VmState.RUNNING).build();
    return new InventoryRecord(at, inventory);
  }

  /** The {@code written} pages of a VM of {@code pages} pages, read from KVM's dirty log for [from, to). */
  static DirtyPages dirtyPages(String vm, String host, Instant from, Instant to, int pages, RoaringBitmap written) {
    return DirtyPages.newBuilder().setVmId(vm).setHostId(host).setIntervalStart(from).setIntervalEnd(to)
        .setSource(DirtyPageSource.KVM_DIRTY_LOG).setCollectorEpoch(to.getEpochSecond()).setPageSize(PAGE_SIZE).setGuestPhysicalBase(0)
        .setPageCount(pages).setDirtyCount(written.getCardinality()).setBitmap(PageBitmaps.encode(written)).build();
  }
}
