package io.reshape.actuator.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.CpuQuotaGroup;
import io.reshape.host.HostRequirements;
import io.reshape.host.ProcFs;
import io.reshape.host.QmpConnections;
import io.reshape.host.TestGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CPU-deprivation probe on real guests and this host's real cgroups: an idle guest confirmed idle, a busy one not. */
@Timeout(120)
class IdleProbeDriverIT {

  @TempDir
  Path dir;

  private final ProcFs proc = ProcFs.system();
  private final QmpConnections monitors = new QmpConnections(Duration.ofSeconds(5));
  private IdleProbeDriver driver;

  @BeforeEach
  void requireCgroups() {
    driver = new IdleProbeDriver(proc, monitors, IdleProbeDriver.Settings.defaults(dir.resolve("probes")));
    HostRequirements.require(CpuQuotaGroup.available(CpuQuotaGroup.CONTROLLER),
        "needs the cgroup v1 cpu controller at " + CpuQuotaGroup.CONTROLLER + ", writable (root)");
  }

  @AfterEach
  void close() {
    monitors.close();
  }

  private static HostCommand probe(String vm) {
    Instant now = Instant.now();
    return HostCommand.newBuilder().setCommandId("p-" + vm + "@host-1").setDecisionId("p-" + vm).setHostId("host-1")
        .setAction(Action.PROBE_IDLE).setVmId(vm).setDecidedAt(now).setDeadline(now.plusSeconds(60)).build();
  }

  private List<String> cgroupsOfVcpus(TestGuest guest) throws Exception {
    List<String> cgroups = new ArrayList<>();
    for (JsonNode cpu : monitors.of(guest.vm().qmpSocket()).execute("query-cpus-fast", null)) {
      cgroups.add(proc.cpuCgroup(guest.vm().pid(), cpu.path("thread-id").asLong()).orElseThrow());
    }
    return cgroups;
  }

  @Test
  void anIdleGuestIsConfirmedIdleAndABusyOneIsNotAndBothGetTheirCpuBack() throws Exception {
    try (TestGuest idle = TestGuest.boot("probe-idle", 1, dir); TestGuest busy = TestGuest.boot("probe-busy", 1, dir)) {
      busy.command("busy");
      List<String> before = cgroupsOfVcpus(idle);

      DriverResult quiet = driver.apply(probe("probe-idle"), (done, detail) -> { });
      DriverResult spinning = driver.apply(probe("probe-busy"), (done, detail) -> { });
      System.out.println("PROBE " + quiet.detail());
      System.out.println("PROBE " + spinning.detail());

      assertThat(quiet.outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(quiet.detail()).startsWith("VM probe-idle is idle: it stayed under every cap, down to 5% of a CPU per vCPU")
          .endsWith("its CPU is given back");
      assertThat(spinning.outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(spinning.detail()).startsWith("VM probe-busy is not idle: it used nearly all the CPU it was given at 50%");
      assertThat(cgroupsOfVcpus(idle)).as("back where they were").isEqualTo(before);
      assertThat(Files.exists(CpuQuotaGroup.of(CpuQuotaGroup.CONTROLLER, "probe-probe-idle"))).isFalse();
      assertThat(busy.command("idle")).startsWith("OK idle");
    }
  }

  @Test
  void aProbeCutShortIsUndoneFromWhatItLeft() throws Exception {
    try (TestGuest guest = TestGuest.boot("probe-cut", 1, dir)) {
      List<String> before = cgroupsOfVcpus(guest);
      List<Long> vcpus = new ArrayList<>();
      for (JsonNode cpu : monitors.of(guest.vm().qmpSocket()).execute("query-cpus-fast", null)) {
        vcpus.add(cpu.path("thread-id").asLong());
      }
      // What an executor killed mid-probe leaves: the vCPUs capped in a group of Reshape's.
      CpuQuotaGroup.create(proc, CpuQuotaGroup.CONTROLLER, dir.resolve("probes"), "probe-probe-cut", guest.vm().pid(), vcpus).limit(5000, 100_000);

      DriverResult settled = driver.reconcile(probe("probe-cut"));
      assertThat(settled.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(settled.detail()).startsWith("The probe of VM probe-cut stopped before a verdict; its CPU is given back (1 threads");
      assertThat(cgroupsOfVcpus(guest)).isEqualTo(before);
      assertThat(driver.reconcile(probe("probe-cut")).detail()).contains("nothing was left capped");
    }
  }
}
