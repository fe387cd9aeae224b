package io.reshape.collectors.sim;

import io.reshape.events.DirtyPageSource;
import io.reshape.host.lab.KvmLabVm;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * The memory of a lab VM: the chosen pages are written by the VM's own program under KVM, and the
 * bitmap is KVM's dirty log of it, so what is published is what the hardware saw written.
 */
final class LabMemory implements GuestMemory {

  private final KvmLabVm vm;

  LabMemory(KvmLabVm vm) {
    this.vm = vm;
  }

  @Override
  public int pageCount() {
    return vm.pages();
  }

  @Override
  public DirtyPageSource source() {
    return DirtyPageSource.KVM_DIRTY_LOG;
  }

  @Override
  public RoaringBitmap write(RoaringBitmap chosen) {
    List<Integer> pages = new ArrayList<>(chosen.getCardinality());
    // The first pages hold the VM's program: a write chosen there lands just past them.
    chosen.forEach((int page) -> pages.add(page < KvmLabVm.FIRST_WRITABLE_PAGE ? page + KvmLabVm.FIRST_WRITABLE_PAGE : page));
    vm.write(pages);
    return vm.takeDirtyPages();
  }

  @Override
  public void close() {
    vm.close();
  }
}
