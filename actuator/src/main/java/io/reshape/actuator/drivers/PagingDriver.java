package io.reshape.actuator.drivers;

import io.reshape.actuator.executor.Driver;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.LinuxCalls;
import io.reshape.host.ProcFs;
import io.reshape.host.ProcFs.MemoryUse;
import io.reshape.host.RemoteMemory;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Pages a QEMU guest's RAM out to the host's swap and back, from outside the guest:
 * {@code process_madvise(MADV_PAGEOUT)} over the guest's RAM, and {@code MADV_WILLNEED} followed by
 * reading every page for the swap-in, so that the pages are resident when it reports, not merely
 * requested. It reports {@code VmSwap} and {@code VmRSS} of the QEMU process before and after, and
 * how long each took.
 *
 * <p>The whole of the guest's RAM is paged out: which pages the guest wrote lately (and will want
 * first) could only come from soft-dirty bits, which not every kernel has, and the guest faults
 * back whatever it touches.
 */
public final class PagingDriver implements Driver {

  private static final double MIB = 1024.0 * 1024.0;

  private final ProcFs proc;
  private final QemuGuests guests;

  public PagingDriver(ProcFs proc) {
    this.proc = proc;
    this.guests = new QemuGuests(proc);
  }

  @Override
  public String name() {
    return "paging";
  }

  @Override
  public DriverResult apply(HostCommand command, Progress progress) throws IOException {
    Optional<DiscoveredVm> found = guests.find(command.getVmId());
    if (found.isEmpty()) {
      return DriverResult.refused("VM " + command.getVmId() + " has no QEMU process on " + command.getHostId());
    }
    DiscoveredVm vm = found.get();
    long size = vm.commandLine().memoryBytes();
    Optional<Long> ram = proc.guestRam(vm.pid(), size);
    if (ram.isEmpty()) {
      return DriverResult.refused("Cannot tell which mapping of QEMU process " + vm.pid() + " is the guest's " + mib(size) + " of RAM");
    }
    return switch (command.getAction()) {
      case PAGE_OUT -> pageOut(vm, ram.get(), size, progress);
      case SWAP_IN -> swapIn(vm, ram.get(), size, progress);
      default -> throw new IllegalArgumentException("The paging driver does not " + command.getAction());
    };
  }

  private DriverResult pageOut(DiscoveredVm vm, long ram, long size, Progress progress) throws IOException {
    if (proc.meminfo("SwapTotal") == 0) {
      return DriverResult.refused("Host has no swap to page VM " + vm.vmId() + " out to");
    }
    MemoryUse before = use(vm);
    long started = System.nanoTime();
    long advised;
    try (RemoteMemory memory = RemoteMemory.open(proc, vm.pid())) {
      advised = memory.advise(ram, size, LinuxCalls.MADV_PAGEOUT);
    }
    MemoryUse after = use(vm);
    String what = "VmSwap " + mib(before.swapped()) + " -> " + mib(after.swapped()) + ", VmRSS " + mib(before.resident())
        + " -> " + mib(after.resident()) + ", in " + millisSince(started) + " ms";
    long pagedOut = Math.max(0, before.resident() - after.resident());
    if (advised < size) {
      return new DriverResult(Outcome.FAILED, "Paged out only " + mib(advised) + " of VM " + vm.vmId() + "'s " + mib(size)
          + " before the kernel stopped; those pages were changed: " + what, pagedOut);
    }
    progress.report(1, "Paged out");
    return new DriverResult(Outcome.APPLIED, "Paged VM " + vm.vmId() + " out: " + what, pagedOut);
  }

  private DriverResult swapIn(DiscoveredVm vm, long ram, long size, Progress progress) throws IOException {
    MemoryUse before = use(vm);
    long started = System.nanoTime();
    try (RemoteMemory memory = RemoteMemory.open(proc, vm.pid())) {
      memory.advise(ram, size, LinuxCalls.MADV_WILLNEED);
      progress.report(0.5, "Read-ahead of " + mib(size) + " asked for");
      memory.touch(ram, size);
    }
    MemoryUse after = use(vm);
    return new DriverResult(Outcome.APPLIED, "Swapped VM " + vm.vmId() + " in: VmSwap " + mib(before.swapped()) + " -> "
        + mib(after.swapped()) + ", VmRSS " + mib(before.resident()) + " -> " + mib(after.resident()) + ", in " + millisSince(started) + " ms");
  }

  /** Paging changes nothing twice: what the process has in swap now says how the command ended. */
  @Override
  public DriverResult reconcile(HostCommand command) throws IOException {
    Optional<DiscoveredVm> found = guests.find(command.getVmId());
    if (found.isEmpty()) {
      return new DriverResult(Outcome.IN_DOUBT, "VM " + command.getVmId() + " no longer runs here: nothing to read");
    }
    long swapped = use(found.get()).swapped();
    boolean pagedOut = swapped > 0;
    boolean done = command.getAction() == Action.PAGE_OUT ? pagedOut : !pagedOut;
    return new DriverResult(done ? Outcome.APPLIED : Outcome.FAILED, "VmSwap of VM " + command.getVmId() + " is "
        + mib(swapped) + (done ? ": done" : ": not done") + "; it is not applied again");
  }

  private MemoryUse use(DiscoveredVm vm) throws IOException {
    return proc.memoryUse(vm.pid()).orElseThrow(() -> new IOException("QEMU process " + vm.pid() + " of VM " + vm.vmId()
        + " ended while it was being paged"));
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
  }

  /** Milliseconds since {@code startedNanos} ({@link System#nanoTime}), for the drivers' reports. */
  static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
