package io.reshape.actuator.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.ProcFs;
import io.reshape.host.QmpConnections;
import io.reshape.host.TestGuest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live migration of a real QEMU/KVM guest between two QEMUs on this host, each side driven as its
 * host's executor would drive it: the guest arrives with its state, and a migration stopped at its
 * deadline leaves it running where it was.
 */
@Timeout(180)
class QmpMigrationDriverIT {

  @TempDir
  Path dir;

  private final QmpConnections monitors = new QmpConnections(Duration.ofSeconds(10));
  private final ExecutorService hosts = Executors.newFixedThreadPool(2);
  private final List<String> progress = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    hosts.shutdownNow();
    monitors.close();
  }

  private QmpMigrationDriver driver(long bandwidth) {
    return new QmpMigrationDriver(new QemuGuests(ProcFs.system()), monitors,
        new QmpMigrationDriver.Settings(bandwidth, Duration.ofMillis(300), 49152, 1000, host -> "127.0.0.1"));
  }

  private static HostCommand command(String host, String decision) {
    Instant now = Instant.now();
    return HostCommand.newBuilder().setCommandId(decision + "@" + host).setDecisionId(decision).setHostId(host)
        .setAction(Action.MIGRATE).setVmId("mig").setDestinationHostId("host-2")
        .setParameters(Map.of("bytesToSend", Long.toString(17L << 20))).setDecidedAt(now).setDeadline(now.plusSeconds(120))
        .build();
  }

  private Future<DriverResult> apply(QmpMigrationDriver driver, HostCommand command) {
    return hosts.submit(() -> driver.apply(command, (done, detail) -> progress.add(command.getHostId() + " " + detail)));
  }

  @Test
  void aGuestMigratesWithItsStateOnceTheDestinationListens() throws Exception {
    QmpMigrationDriver driver = driver(1L << 30);
    try (TestGuest source = TestGuest.boot("mig", 1, dir)) {
      source.command("fill 7");
      long halts = source.counts().halts();
      try (TestGuest destination = TestGuest.incoming("mig", 1, dir)) {
        // The source starts first, and tries again until the destination listens.
        Future<DriverResult> sent = apply(driver, command("host-1", "d1"));
        Thread.sleep(500);
        Future<DriverResult> received = apply(driver, command("host-2", "d1"));

        DriverResult out = sent.get(120, TimeUnit.SECONDS);
        DriverResult in = received.get(120, TimeUnit.SECONDS);
        System.out.println("MIGRATION " + out.detail());
        System.out.println("MIGRATION " + in.detail());
        assertThat(out.outcome()).as(out.detail()).isEqualTo(Outcome.APPLIED);
        assertThat(out.detail()).matches("Migrated VM mig to host-2 \\(tcp:127\\.0\\.0\\.1:\\d+, \\d+ attempts?\\): total \\d+ ms, "
            + "downtime \\d+ ms, [0-9.]+ MiB sent of [0-9.]+ MiB RAM \\(reuse-aware: 17\\.0 MiB\\); stopped here");
        assertThat(in.outcome()).as(in.detail()).isEqualTo(Outcome.APPLIED);
        assertThat(in.detail()).startsWith("VM mig runs here, received in ");
        assertThat(progress).anyMatch(p -> p.startsWith("host-2 Ready for VM mig at tcp:0.0.0.0:"));
        if (!out.detail().contains(", 1 attempt)")) {
          assertThat(progress).as("refused at first, the source says it waits")
              .anyMatch(p -> p.startsWith("host-1 Waiting for host-2 to listen at tcp:127.0.0.1:") && p.endsWith("(try 1)"));
        }

        assertThat(destination.counts().halts()).as("the guest goes on counting where it was").isGreaterThanOrEqualTo(halts);
        assertThat(driver.reconcile(command("host-1", "d1")).detail()).startsWith("VM mig is postmigrate here: migrated");
        assertThat(driver.reconcile(command("host-2", "d1")).outcome()).isEqualTo(Outcome.APPLIED);
      }
    }
  }

  @Test
  void aMigrationStoppedAtItsDeadlineIsCancelledAndTheGuestRunsOnWhereItWas() throws Exception {
    QmpMigrationDriver driver = driver(256 * 1024); // 16 MiB at 256 KiB/s: a minute
    try (TestGuest source = TestGuest.boot("mig", 1, dir); TestGuest destination = TestGuest.incoming("mig", 1, dir)) {
      source.command("fill 9");
      Future<DriverResult> received = apply(driver, command("host-2", "d2"));
      AtomicReference<Throwable> ended = new AtomicReference<>();
      Thread sending = new Thread(() -> {
        try {
          driver.apply(command("host-1", "d2"), (done, detail) -> progress.add("host-1 " + detail));
        } catch (Throwable e) {
          ended.set(e);
        }
      });
      sending.start();
      Instant until = Instant.now().plusSeconds(60);
      while (progress.stream().noneMatch(p -> p.startsWith("host-1 Migration active")) && Instant.now().isBefore(until)) {
        Thread.sleep(50);
      }
      sending.interrupt(); // what the worker does at the deadline
      sending.join(30_000);

      assertThat(ended.get()).as("the driver stops, having cancelled the migration").isInstanceOf(InterruptedException.class);
      DriverResult afterwards = driver.reconcile(command("host-1", "d2"));
      assertThat(afterwards.outcome()).as(afterwards.detail()).isEqualTo(Outcome.FAILED);
      assertThat(afterwards.detail()).isEqualTo("VM mig is running here: not migrated; it is not applied again");
      assertThat(source.command("count")).as("the guest answers where it was").startsWith("OK count");
      received.cancel(true);
    }
  }
}
