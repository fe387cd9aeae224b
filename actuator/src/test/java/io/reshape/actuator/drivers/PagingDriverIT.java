package io.reshape.actuator.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.HostRequirements;
import io.reshape.host.ProcFs;
import io.reshape.host.ProcFs.MemoryUse;
import io.reshape.host.TestGuest;
import io.reshape.host.ZramSwap;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The paging driver on a real QEMU/KVM guest and real swap (zram): out, back in, and what it reports. */
@Timeout(120)
class PagingDriverIT {

  private static final long MIB = 1024 * 1024;

  @TempDir
  Path dir;

  private final ProcFs proc = ProcFs.system();
  private final PagingDriver driver = new PagingDriver(proc);
  private final List<String> progress = new ArrayList<>();

  private static HostCommand command(Action action, String vm) {
    Instant now = Instant.now();
    return HostCommand.newBuilder().setCommandId(action + "-" + vm + "@host-1").setDecisionId(action + "-" + vm)
        .setHostId("host-1").setAction(action).setVmId(vm).setDecidedAt(now).setDeadline(now.plusSeconds(60)).build();
  }

  private DriverResult apply(Action action, String vm) throws Exception {
    return driver.apply(command(action, vm), (done, detail) -> progress.add(done + " " + detail));
  }

  private MemoryUse use(TestGuest guest) throws Exception {
    return proc.memoryUse(guest.vm().pid()).orElseThrow();
  }

  @Test
  void aGuestIsPagedOutToSwapAndBackInAndRunsOnThroughout() throws Exception {
    HostRequirements.require(!ZramSwap.hostHasSwap(), "expects a host without swap of its own, to give it zram swap");
    try (TestGuest guest = TestGuest.boot("paged", 1, dir)) {
      guest.command("fill 7"); // 16 MiB of the guest's RAM written, hence resident

      DriverResult noSwap = apply(Action.PAGE_OUT, "paged");
      assertThat(noSwap.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(noSwap.detail()).isEqualTo("Host has no swap to page VM paged out to; nothing was changed");
      assertThat(use(guest).swapped()).isZero();

      try (ZramSwap swap = ZramSwap.on(256)) {
        MemoryUse before = use(guest);
        DriverResult out = apply(Action.PAGE_OUT, "paged");
        MemoryUse paged = use(guest);
        System.out.println("PAGING " + out.detail());
        assertThat(out.outcome()).as(out.detail()).isEqualTo(Outcome.APPLIED);
        assertThat(out.detail()).startsWith("Paged VM paged out: VmSwap 0.0 MiB -> ").contains("VmRSS", " ms");
        assertThat(paged.swapped()).as("the 16 MiB the guest wrote, at least").isGreaterThanOrEqualTo(16 * MIB);
        assertThat(paged.resident()).isLessThanOrEqualTo(before.resident() - 16 * MIB);
        assertThat(driver.reconcile(command(Action.PAGE_OUT, "paged")).outcome()).isEqualTo(Outcome.APPLIED);

        guest.command("write 16"); // the guest runs on, faulting back what it touches

        DriverResult in = apply(Action.SWAP_IN, "paged");
        System.out.println("PAGING " + in.detail());
        assertThat(in.outcome()).as(in.detail()).isEqualTo(Outcome.APPLIED);
        assertThat(use(guest).swapped()).as("every page back: " + in.detail()).isZero();
        assertThat(use(guest).resident()).isGreaterThanOrEqualTo(paged.resident() + 16 * MIB);
        assertThat(progress).contains("1.0 Paged out", "0.5 Read-ahead of 64.0 MiB asked for");
        assertThat(driver.reconcile(command(Action.SWAP_IN, "paged")).outcome()).isEqualTo(Outcome.APPLIED);
        guest.command("count");
      }
    }
  }

  @Test
  void aVmWithNoQemuProcessHereIsRefusedWithNothingChanged() throws Exception {
    TestGuest.requireBootable();
    DriverResult result = apply(Action.PAGE_OUT, "nowhere");
    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.detail()).isEqualTo("VM nowhere has no QEMU process on host-1; nothing was changed");
  }
}
