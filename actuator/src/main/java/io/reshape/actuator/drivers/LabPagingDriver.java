package io.reshape.actuator.drivers;

import io.reshape.actuator.executor.Driver;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.LinuxCalls;
import io.reshape.host.ProcFs;
import io.reshape.host.lab.KvmLabVm;
import io.reshape.host.lab.LabVms;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.roaringbitmap.RoaringBitmap;

/**
 * Pages the lab VMs a host agent runs ({@link LabVms}) out to the host's swap and back. Their
 * memory is this process's own, and KVM's dirty log dates every page's last write, so a page-out
 * keeps the pages written lately resident (the ones the VM will want first) and reclaims the rest
 * with {@code madvise(MADV_PAGEOUT)}. A swap-in asks for read-ahead ({@code MADV_WILLNEED}) and
 * reads every page. Each reports the pages resident before and after ({@code mincore}).
 */
public final class LabPagingDriver implements Driver {

  private final LabVms vms;
  private final ProcFs proc;
  private final Duration keepWritten;

  /** @param keepWritten pages written within this window before a page-out stay resident */
  public LabPagingDriver(LabVms vms, ProcFs proc, Duration keepWritten) {
    this.vms = vms;
    this.proc = proc;
    this.keepWritten = keepWritten;
  }

  @Override
  public String name() {
    return "lab-paging";
  }

  @Override
  public DriverResult apply(HostCommand command, Progress progress) throws IOException {
    Optional<KvmLabVm> found = vms.running(command.getVmId());
    if (found.isEmpty()) {
      return DriverResult.refused("Lab VM " + command.getVmId() + " does not run here");
    }
    return switch (command.getAction()) {
      case PAGE_OUT -> pageOut(command.getVmId(), found.get(), progress);
      case SWAP_IN -> swapIn(command.getVmId(), found.get());
      default -> throw new IllegalArgumentException("The lab-paging driver does not " + command.getAction());
    };
  }

  private DriverResult pageOut(String vmId, KvmLabVm vm, Progress progress) throws IOException {
    if (proc.meminfo("SwapTotal") == 0) {
      return DriverResult.refused("Host has no swap to page lab VM " + vmId + " out to");
    }
    long started = System.nanoTime();
    int before = vm.residentPages().getCardinality();
    RoaringBitmap keep = vm.writtenWithin(keepWritten);
    int written = keep.getCardinality();
    // The first pages hold the program the host writes itself: it runs them on every write.
    keep.add(0L, KvmLabVm.FIRST_WRITABLE_PAGE);
    int from = 0;
    for (int page = 0; page <= vm.pages(); page++) {
      if (page == vm.pages() || keep.contains(page)) {
        if (from < page) {
          vm.advise(from, page, LinuxCalls.MADV_PAGEOUT);
        }
        from = page + 1;
      }
    }
    int after = vm.residentPages().getCardinality();
    progress.report(1, "Paged out");
    return new DriverResult(Outcome.APPLIED, "Paged lab VM " + vmId + " out: resident pages " + before + " -> " + after + " of "
        + vm.pages() + ", keeping resident the " + written + " written in the last " + keepWritten.toMillis() / 1000.0
        + " s and the " + KvmLabVm.FIRST_WRITABLE_PAGE + " of its program, in " + PagingDriver.millisSince(started) + " ms",
        Math.max(0L, before - after) * KvmLabVm.PAGE_SIZE);
  }

  private DriverResult swapIn(String vmId, KvmLabVm vm) {
    long started = System.nanoTime();
    int before = vm.residentPages().getCardinality();
    vm.advise(0, vm.pages(), LinuxCalls.MADV_WILLNEED);
    vm.touchAll();
    int after = vm.residentPages().getCardinality();
    return new DriverResult(after == vm.pages() ? Outcome.APPLIED : Outcome.FAILED, "Swapped lab VM " + vmId
        + " in: resident pages " + before + " -> " + after + " of " + vm.pages() + ", in " + PagingDriver.millisSince(started) + " ms");
  }

  /** What is resident now says how the command ended: all of it after a swap-in, less after a page-out. */
  @Override
  public DriverResult reconcile(HostCommand command) {
    Optional<KvmLabVm> found = vms.running(command.getVmId());
    if (found.isEmpty()) {
      return new DriverResult(Outcome.IN_DOUBT, "Lab VM " + command.getVmId() + " no longer runs here: nothing to read");
    }
    int resident = found.get().residentPages().getCardinality();
    int pages = found.get().pages();
    boolean done = command.getAction() == Action.PAGE_OUT ? resident < pages : resident == pages;
    return new DriverResult(done ? Outcome.APPLIED : Outcome.FAILED, "Lab VM " + command.getVmId() + " has " + resident
        + " of " + pages + " pages resident" + (done ? ": done" : ": not done") + "; it is not applied again");
  }

}
