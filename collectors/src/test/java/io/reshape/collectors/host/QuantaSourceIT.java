package io.reshape.collectors.host;

import io.reshape.events.QuantumSample;
import io.reshape.host.ProcFs;
import io.reshape.host.QmpClient;
import io.reshape.host.QmpException;
import io.reshape.host.TestGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


/**
 * Scheduling quanta of real QEMU/KVM guests running the project's test guest, checked against what
 * the guest says it did rather than against how long the test waited: on a loaded host a vCPU gets
 * less of a second than a second.
 */
@Timeout(120)
class QuantaSourceIT {

  private static final Duration QMP_TIMEOUT = Duration.ofSeconds(5);
  private static final long INTERVAL_MS = 1000;

  @TempDir
  Path dir;

  /** The sample of the guest's vCPU 0 since the previous reading. */
  private static QuantumSample read(QuantaSource source, TestGuest guest, QmpClient qmp) {
    List<QuantumSample> samples = source.sample(guest.vm(), qmp, Instant.now());
    assertThat(samples).extracting(QuantumSample::getVcpu).containsExactly(0);
    return samples.get(0);
  }

  private static double share(long ns, QuantumSample s) {
    return (double) ns / Duration.between(s.getIntervalStart(), s.getIntervalEnd()).toNanos();
  }

  @Test
  void anIdleGuestHaltsAsOftenAsItSaysAndGivesItsCpuBack() throws Exception {
    try (TestGuest guest = TestGuest.boot("quanta-idle-it", 1, dir);
         QmpClient qmp = QmpClient.connect(guest.vm().qmpSocket(), QMP_TIMEOUT)) {
      QuantaSource source = new QuantaSource("host-it", ProcFs.system());
      source.sample(guest.vm(), qmp, Instant.now());

      // An interval in which the guest only idles: no command reaches it, so its vCPU thread leaves
      // KVM's run loop only to sleep in HLT. KVM counts a halt's time until the thread runs again,
      // waiting for a CPU after the wake-up included, so a busy host does not take from the halted share.
      Thread.sleep(INTERVAL_MS);
      QuantumSample idle = read(source, guest, qmp);
      assertThat(idle.getVmId()).isEqualTo("quanta-idle-it");
      assertThat(idle.getHostId()).isEqualTo("host-it");
      assertThat(share(idle.getHaltNs(), idle)).as("halted share").isGreaterThan(0.8);
      assertThat(share(idle.getRunNs(), idle)).as("run share").isLessThan(0.2);
      assertThat(idle.getVoluntarySwitches()).as("gives its CPU back").isPositive();

      // KVM's halt exits against the guest's own count of its HLTs, read just inside and just outside
      // the interval: every HLT counted between the inner answers is in it, none past the outer ones.
      TestGuest.Counts outerStart = guest.counts();
      read(source, guest, qmp);
      TestGuest.Counts innerStart = guest.counts();
      Thread.sleep(INTERVAL_MS);
      TestGuest.Counts innerEnd = guest.counts();
      QuantumSample counted = read(source, guest, qmp);
      TestGuest.Counts outerEnd = guest.counts();
      long haltedInside = innerEnd.halts() - innerStart.halts();
      assertThat(haltedInside).as("HLTs the guest counted").isPositive();
      assertThat(counted.getHaltExits()).as("halt exits").isBetween(haltedInside, outerEnd.halts() - outerStart.halts());
      assertThat(source.errors()).isZero();
    }
  }

  @Test
  void aBusyGuestNeverHaltsAndRunsOrWaitsForACpu() throws Exception {
    try (TestGuest guest = TestGuest.boot("quanta-busy-it", 1, dir);
         QmpClient qmp = QmpClient.connect(guest.vm().qmpSocket(), QMP_TIMEOUT)) {
      QuantaSource source = new QuantaSource("host-it", ProcFs.system());
      guest.command("busy");
      TestGuest.Counts before = guest.counts();
      source.sample(guest.vm(), qmp, Instant.now());
      Thread.sleep(INTERVAL_MS);
      QuantumSample busy = read(source, guest, qmp);
      TestGuest.Counts after = guest.counts();

      assertThat(after.halts()).as("HLTs the guest counted").isEqualTo(before.halts());
      assertThat(busy.getHaltExits()).as("halt exits").isZero();
      assertThat(busy.getHaltNs()).as("halted").isZero();
      // Nothing it does leaves KVM, so its thread is always running or waiting for a CPU, split between
      // the two by the host's load; it blocks only where the host makes it (a page fault, say), far less
      // often than the scheduler takes its CPU away.
      assertThat(busy.getRunNs()).as("ran").isPositive();
      assertThat(share(busy.getRunNs() + busy.getRunqueueWaitNs(), busy)).as("run or wait share").isGreaterThan(0.8);
      assertThat(busy.getInvoluntarySwitches()).as("preempted, rather than giving its CPU back").isGreaterThanOrEqualTo(busy.getVoluntarySwitches());
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
