package io.reshape.actuator.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.HostRequirements;
import io.reshape.host.ProcFs;
import io.reshape.host.ZramSwap;
import io.reshape.host.lab.KvmLabVm;
import io.reshape.host.lab.LabVms;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roaringbitmap.RoaringBitmap;

/**
 * The lab drivers on lab VMs under KVM: live migration between two hosts' executors over a real
 * socket (back to the host that kept the VM's image, only what it wrote meanwhile is sent), and
 * paging to real swap (zram) that keeps the pages written lately resident.
 */
@Timeout(120)
class LabDriversIT {

  private static final QmpMigrationDriver.Settings LOOPBACK = new QmpMigrationDriver.Settings(1L << 30, Duration.ofMillis(300),
      49152, 1000, host -> "127.0.0.1");

  private final LabVms hostA = new LabVms();
  private final LabVms hostB = new LabVms();
  private final ExecutorService destination = Executors.newSingleThreadExecutor();
  private final List<String> progress = new ArrayList<>();

  @BeforeEach
  void needsKvm() {
    HostRequirements.require(KvmLabVm.usable(), "needs read-write access to /dev/kvm, to run a VM through KVM ioctls");
  }

  @AfterEach
  void stop() {
    destination.shutdownNow();
    hostA.close();
    hostB.close();
  }

  private static HostCommand command(String decision, Action action, String host, String destinationHost) {
    Instant now = Instant.now();
    return HostCommand.newBuilder().setCommandId(decision + "@" + host).setDecisionId(decision).setHostId(host).setAction(action)
        .setVmId("lab-1").setDestinationHostId(destinationHost).setDecidedAt(now).setDeadline(now.plusSeconds(60)).build();
  }

  /** Both hosts' parts of one MIGRATE, the destination's first, as the commands reach them. */
  private DriverResult[] migrate(String decision, LabVms from, String fromHost, LabVms to, String toHost) throws Exception {
    LabMigrationDriver receiving = new LabMigrationDriver(to, LOOPBACK);
    Future<DriverResult> received = destination.submit(() -> receiving.apply(command(decision, Action.MIGRATE, toHost, toHost),
        (done, detail) -> progress.add(toHost + ": " + detail)));
    DriverResult sent = new LabMigrationDriver(from, LOOPBACK).apply(command(decision, Action.MIGRATE, fromHost, toHost),
        (done, detail) -> progress.add(fromHost + ": " + detail));
    return new DriverResult[] {sent, received.get(60, TimeUnit.SECONDS)};
  }

  @Test
  void aLabVmMigratesAwayAndBackSendingOnlyWhatItWroteMeanwhile() throws Exception {
    KvmLabVm vm = hostA.start("lab-1", KvmLabVm.MAX_PAGES);
    vm.write(IntStream.range(3, 200).boxed().toList());

    DriverResult[] away = migrate("m1", hostA, "host-a", hostB, "host-b");
    System.out.println("LAB away: " + away[0].detail() + " | " + away[1].detail());
    assertThat(away[0].outcome()).as(away[0].detail()).isEqualTo(Outcome.APPLIED);
    assertThat(away[1].outcome()).as(away[1].detail()).isEqualTo(Outcome.APPLIED);
    assertThat(away[0].detail()).contains("0 of 256 pages reused").endsWith("; its image is kept here");
    assertThat(progress).anyMatch(p -> p.startsWith("host-b: Ready for lab VM lab-1 on port ")
        && p.endsWith(", with no image of it here"));
    assertThat(hostA.running("lab-1")).isEmpty();
    assertThat(hostA.kept("lab-1")).containsSame(vm);
    KvmLabVm there = hostB.running("lab-1").orElseThrow();
    assertThat(there.page(150)[0]).isEqualTo((byte) 0xA5);
    there.write(IntStream.range(210, 220).boxed().toList());

    DriverResult[] back = migrate("m2", hostB, "host-b", hostA, "host-a");
    System.out.println("LAB back: " + back[0].detail() + " | " + back[1].detail());
    assertThat(back[0].outcome()).as(back[0].detail()).isEqualTo(Outcome.APPLIED);
    assertThat(back[1].outcome()).as(back[1].detail()).isEqualTo(Outcome.APPLIED);
    // The ten pages it wrote on host-b, its page list, and the program's pages the stop and copy always sends.
    assertThat(back[0].detail()).contains("245 of 256 pages reused from the destination's kept image, 14 sent");
    assertThat(back[1].detail()).endsWith(" into the image kept here");
    assertThat(hostA.running("lab-1")).containsSame(vm);
    assertThat(vm.page(215)[0]).isEqualTo((byte) 0xA5);

    LabMigrationDriver onA = new LabMigrationDriver(hostA, LOOPBACK);
    LabMigrationDriver onB = new LabMigrationDriver(hostB, LOOPBACK);
    assertThat(onA.reconcile(command("m2", Action.MIGRATE, "host-a", "host-a")).outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(onB.reconcile(command("m2", Action.MIGRATE, "host-b", "host-a")).outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(onA.reconcile(command("m1", Action.MIGRATE, "host-a", "host-b")).outcome()).isEqualTo(Outcome.FAILED);
  }

  @Test
  void aSourceWaitsForItsDestinationToListen() throws Exception {
    hostA.start("lab-1", KvmLabVm.MAX_PAGES).write(List.of(5));
    Future<DriverResult> sent = destination.submit(() -> new LabMigrationDriver(hostA, LOOPBACK)
        .apply(command("m3", Action.MIGRATE, "host-a", "host-b"), (done, detail) -> progress.add(detail)));
    Thread.sleep(500);
    DriverResult received = new LabMigrationDriver(hostB, LOOPBACK).apply(command("m3", Action.MIGRATE, "host-b", "host-b"),
        (done, detail) -> { });
    assertThat(received.outcome()).as(received.detail()).isEqualTo(Outcome.APPLIED);
    assertThat(sent.get(60, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(progress).anyMatch(p -> p.startsWith("Waiting for host-b to listen at ") && p.endsWith("(try 1)"));
    assertThat(hostB.running("lab-1")).isPresent();
  }

  @Test
  void aVmThatDoesNotRunHereIsRefusedWithNothingChanged() throws Exception {
    DriverResult result = new LabMigrationDriver(hostA, LOOPBACK).apply(command("m4", Action.MIGRATE, "host-a", "host-b"),
        (done, detail) -> { });
    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.detail()).isEqualTo("Lab VM lab-1 does not run here; nothing was changed");
  }

  @Test
  void aPageOutKeepsThePagesWrittenLatelyResidentAndASwapInBringsTheRestBack() throws Exception {
    HostRequirements.require(!ZramSwap.hostHasSwap(), "expects a host without swap of its own, to give it zram swap");
    LabPagingDriver driver = new LabPagingDriver(hostA, ProcFs.system(), Duration.ofMillis(400));
    KvmLabVm vm = hostA.start("lab-1", KvmLabVm.MAX_PAGES);
    vm.write(IntStream.range(3, 250).boxed().toList());

    DriverResult noSwap = driver.apply(command("p0", Action.PAGE_OUT, "host-a", null), (done, detail) -> { });
    assertThat(noSwap.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(noSwap.detail()).isEqualTo("Host has no swap to page lab VM lab-1 out to; nothing was changed");

    try (ZramSwap swap = ZramSwap.on(64)) {
      vm.takeDirtyPages();
      Thread.sleep(800); // pages 3 to 249 are older than the window now
      vm.write(IntStream.range(100, 110).boxed().toList());
      assertThat(vm.residentPages().contains(1L, 250L)).as("the program, its page list and every page written").isTrue();

      DriverResult out = driver.apply(command("p1", Action.PAGE_OUT, "host-a", null), (done, detail) -> { });
      System.out.println("LAB paging: " + out.detail());
      assertThat(out.outcome()).as(out.detail()).isEqualTo(Outcome.APPLIED);
      RoaringBitmap resident = vm.residentPages();
      assertThat(resident.contains(100L, 110L)).as("the pages written lately stay resident: %s", resident).isTrue();
      assertThat(resident.getCardinality()).as("the rest went to swap: %s", resident).isLessThan(40);
      assertThat(driver.reconcile(command("p1", Action.PAGE_OUT, "host-a", null)).outcome()).isEqualTo(Outcome.APPLIED);

      DriverResult in = driver.apply(command("p2", Action.SWAP_IN, "host-a", null), (done, detail) -> { });
      System.out.println("LAB paging: " + in.detail());
      assertThat(in.outcome()).as(in.detail()).isEqualTo(Outcome.APPLIED);
      assertThat(vm.residentPages().getCardinality()).isEqualTo(KvmLabVm.MAX_PAGES);
      assertThat(vm.page(200)[0]).as("what was paged out comes back as it was").isEqualTo((byte) 0xA5);
      vm.write(List.of(7)); // runs on
    }
  }
}
