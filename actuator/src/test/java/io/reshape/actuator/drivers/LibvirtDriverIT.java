package io.reshape.actuator.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.HostRequirements;
import io.reshape.host.ProcFs;
import io.reshape.host.ZramSwap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live migration of a libvirt domain between two real libvirtd daemons on this machine, each side
 * driven as its host's executor would drive it.
 */
@Timeout(180)
class LibvirtDriverIT {

  @TempDir
  Path dir;

  private static HostCommand command(String host, String vm) {
    Instant now = Instant.now();
    return HostCommand.newBuilder().setCommandId("l1@" + host).setDecisionId("l1").setHostId(host).setAction(Action.MIGRATE)
        .setVmId(vm).setDestinationHostId("host-2").setParameters(Map.of()).setDecidedAt(now).setDeadline(now.plusSeconds(120))
        .build();
  }

  @Test
  void aDomainMigratesBetweenTwoLibvirtHostsAndEachSideSaysWhatItSaw() throws Exception {
    ExecutorService hosts = Executors.newFixedThreadPool(2);
    try (LibvirtHost one = LibvirtHost.start(Files.createDirectories(dir.resolve("one")));
         LibvirtHost two = LibvirtHost.start(Files.createDirectories(dir.resolve("two")))) {
      String uuid = one.startGuest("lv-guest");
      Map<String, String> uris = Map.of("host-1", one.uri(), "host-2", two.uri());
      LibvirtMigrationDriver onOne = driver(one, uris);
      LibvirtMigrationDriver onTwo = driver(two, uris);

      Future<DriverResult> received = hosts.submit(() -> onTwo.apply(command("host-2", uuid), (done, detail) -> { }));
      DriverResult sent = onOne.apply(command("host-1", uuid), (done, detail) -> { });
      DriverResult arrived = received.get(120, TimeUnit.SECONDS);
      System.out.println("LIBVIRT " + sent.detail());
      System.out.println("LIBVIRT " + arrived.detail());

      assertThat(sent.outcome()).as(sent.detail()).isEqualTo(Outcome.APPLIED);
      assertThat(sent.detail()).startsWith("Migrated domain " + uuid + " to host-2 (" + two.uri()).endsWith("it is gone from here");
      assertThat(arrived.outcome()).as(arrived.detail()).isEqualTo(Outcome.APPLIED);
      assertThat(arrived.detail()).startsWith("Domain " + uuid + " runs here").contains(" of downtime, ");
      assertThat(two.virsh().state(uuid)).hasValue("running");
      assertThat(one.virsh().state(uuid)).isEmpty();
      assertThat(onOne.reconcile(command("host-1", uuid)).outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(onTwo.reconcile(command("host-2", uuid)).outcome()).isEqualTo(Outcome.APPLIED);

      DriverResult unknown = onOne.apply(command("host-1", uuid), (done, detail) -> { });
      assertThat(unknown.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(unknown.detail()).endsWith("not running; nothing was changed");
    } finally {
      hosts.shutdownNow();
    }
  }

  @Test
  void aLibvirtDomainIsPagedOutAndBackInThroughItsQemuProcessFoundByItsUuid() throws Exception {
    HostRequirements.require(!ZramSwap.hostHasSwap(), "expects a host without swap of its own, to give it zram swap");
    try (LibvirtHost one = LibvirtHost.start(Files.createDirectories(dir.resolve("one"))); ZramSwap swap = ZramSwap.on(256)) {
      String uuid = one.startGuest("lv-paged");
      PagingDriver paging = new PagingDriver(ProcFs.system());
      Instant now = Instant.now();
      HostCommand pageOut = HostCommand.newBuilder(command("host-1", uuid)).setCommandId("p1@host-1").setAction(Action.PAGE_OUT)
          .setDestinationHostId(null).setDeadline(now.plusSeconds(60)).build();
      DriverResult out = paging.apply(pageOut, (done, detail) -> { });
      System.out.println("LIBVIRT " + out.detail());
      assertThat(out.outcome()).as(out.detail()).isEqualTo(Outcome.APPLIED);
      assertThat(out.detail()).startsWith("Paged VM " + uuid + " out: VmSwap 0.0 MiB -> ");
      DriverResult in = paging.apply(HostCommand.newBuilder(pageOut).setAction(Action.SWAP_IN).build(), (done, detail) -> { });
      assertThat(in.outcome()).as(in.detail()).isEqualTo(Outcome.APPLIED);
      assertThat(one.virsh().state(uuid)).hasValue("running");
    }
  }

  private static LibvirtMigrationDriver driver(LibvirtHost host, Map<String, String> uris) {
    return new LibvirtMigrationDriver(new LibvirtMigrationDriver.Settings(host.uri(), uris::get, h -> "127.0.0.1", 1L << 30,
        49152, 1000));
  }
}
