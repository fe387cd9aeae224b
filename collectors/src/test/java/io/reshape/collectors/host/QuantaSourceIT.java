package io.reshape.collectors.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.events.QuantumSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Scheduling quanta of real QEMU/KVM guests running the project's test guest. */
@Timeout(120)
class QuantaSourceIT {

  private static final Duration QMP_TIMEOUT = Duration.ofSeconds(5);

  @TempDir
  Path dir;

  /** One second of the guest's vCPU 0 (after a first reading that sets the baseline). */
  private static QuantumSample oneSecond(QuantaSource source, TestGuest guest, QmpClient qmp) throws Exception {
    source.sample(guest.vm(), qmp, Instant.now());
    Thread.sleep(1000);
    List<QuantumSample> samples = source.sample(guest.vm(), qmp, Instant.now());
    assertThat(samples).extracting(QuantumSample::getVcpu).containsExactly(0);
    return samples.get(0);
  }

  private static double share(long ns, QuantumSample s) {
    return (double) ns / Duration.between(s.getIntervalStart(), s.getIntervalEnd()).toNanos();
  }

  @Test
  void anIdleGuestHaltsAndYieldsItsQuantaAndABusyOneRunsThem() throws Exception {
    try (TestGuest guest = TestGuest.boot("quanta-it", 1, dir);
         QmpClient qmp = QmpClient.connect(guest.vm().qmpSocket(), QMP_TIMEOUT)) {
      QuantaSource source = new QuantaSource("host-it", ProcFs.system());

      QuantumSample idle = oneSecond(source, guest, qmp);
      assertThat(idle.getVmId()).isEqualTo("quanta-it");
      assertThat(idle.getHostId()).isEqualTo("host-it");
      assertThat(share(idle.getHaltNs(), idle)).as("idle: halted share").isGreaterThan(0.8);
      assertThat(idle.getHaltExits()).as("idle: halts, one per 10 ms timer tick").isBetween(50L, 200L);
      assertThat(share(idle.getRunNs(), idle)).as("idle: run share").isLessThan(0.2);
      assertThat(idle.getVoluntarySwitches()).as("idle: gives its quanta back").isGreaterThan(10 * Math.max(1, idle.getInvoluntarySwitches()));

      guest.command("busy");
      QuantumSample busy = oneSecond(source, guest, qmp);
      assertThat(share(busy.getRunNs(), busy)).as("busy: run share").isGreaterThan(0.8);
      assertThat(share(busy.getHaltNs(), busy)).as("busy: halted share").isLessThan(0.05);
      assertThat(busy.getInvoluntarySwitches()).as("busy: only the scheduler takes its CPU away")
          .isGreaterThanOrEqualTo(busy.getVoluntarySwitches());
      assertThat(source.errors()).isZero();
    }
  }

  @Test
  void aGarbledProcEntryIsReportedAndSkippedAndAQmpErrorLeavesTheMonitorUsable() throws Exception {
    try (TestGuest guest = TestGuest.boot("garbled-it", 1, dir);
         QmpClient qmp = QmpClient.connect(guest.vm().qmpSocket(), QMP_TIMEOUT)) {
      long tid = qmp.execute("query-cpus-fast", null).get(0).path("thread-id").asLong();
      Path task = Files.createDirectories(dir.resolve("proc/" + guest.vm().pid() + "/task/" + tid));
      Files.writeString(task.resolve("schedstat"), "not numbers at all\n");
      Files.writeString(task.resolve("status"), "voluntary_ctxt_switches:\t1\nnonvoluntary_ctxt_switches:\t1\n");
      QuantaSource source = new QuantaSource("host-it", new ProcFs(dir.resolve("proc")));

      assertThat(source.sample(guest.vm(), qmp, Instant.now())).isEmpty();
      assertThat(source.sample(guest.vm(), qmp, Instant.now().plusSeconds(1))).isEmpty();
      assertThat(source.errors()).isEqualTo(2);

      assertThatThrownBy(() -> qmp.execute("no-such-command", null))
          .isInstanceOf(QmpException.class).hasMessageContaining("CommandNotFound");
      assertThat(qmp.execute("query-cpus-fast", null)).hasSize(1);
    }
  }
}
