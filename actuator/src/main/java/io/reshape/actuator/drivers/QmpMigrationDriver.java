package io.reshape.actuator.drivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reshape.actuator.executor.Driver;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.QmpClient;
import io.reshape.host.QmpConnections;
import io.reshape.host.QmpException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Live migration of QEMU guests through QMP. A MIGRATE decision reaches both hosts, and each plays
 * its part:
 *
 * <ul>
 *   <li>the destination finds the QEMU waiting for the VM ({@code -incoming defer}, the VM's
 *       configuration), starts it listening on the migration's port ({@code migrate-incoming}),
 *       and reports that it is ready, then that the VM runs there;
 *   <li>the source sets auto-converge, the bandwidth and the downtime limit, and migrates once the
 *       destination listens (until then QEMU's connection is refused, and it tries again), following
 *       the migration's events and {@code query-migrate}; it reports total time, downtime and bytes
 *       sent, beside the bytes a reuse-aware migration would have sent (the planner's estimate, from
 *       page generations), and checks that the VM has stopped here.
 * </ul>
 *
 * At the deadline the source cancels the migration, and the VM runs on where it was.
 */
public final class QmpMigrationDriver implements Driver {

  /** Migration settings of this host. */
  public record Settings(long maxBandwidthBytesPerSecond, Duration downtimeLimit, int firstPort, int ports,
      Function<String, String> addressOfHost) {}

  private static final Duration POLL = Duration.ofMillis(100);
  /** How often, in tries, the source says it is still waiting for the destination to listen. */
  private static final int WAITING_REPORT_EVERY = 10;
  /** How long QEMU may take to finish a cancel, or to finish a completed migration. */
  private static final Duration SETTLE_WAIT = Duration.ofSeconds(10);
  /** The states of {@code query-migrate} in which a migration has not ended yet. */
  private static final Set<String> UNDER_WAY = Set.of("setup", "active", "pre-switchover", "device", "cancelling",
      "wait-unplug");

  private final QemuGuests guests;
  private final QmpConnections monitors;
  private final Settings settings;

  public QmpMigrationDriver(QemuGuests guests, QmpConnections monitors, Settings settings) {
    this.guests = guests;
    this.monitors = monitors;
    this.settings = settings;
  }

  @Override
  public String name() {
    return "qmp";
  }

  private int port(HostCommand command) {
    return Migrations.port(command, settings.firstPort(), settings.ports());
  }

  @Override
  public DriverResult apply(HostCommand command, Progress progress) throws IOException, InterruptedException {
    if (command.getAction() != Action.MIGRATE) {
      throw new IllegalArgumentException("The qmp driver does not " + command.getAction());
    }
    return Migrations.receiving(command) ? receive(command, progress) : send(command, progress);
  }

  private DriverResult receive(HostCommand command, Progress progress) throws IOException, InterruptedException {
    Optional<QmpClient> waiting = monitor(command.getVmId(), "inmigrate");
    if (waiting.isEmpty()) {
      return DriverResult.refused("No QEMU waits for VM " + command.getVmId() + " here (one started with -incoming defer and the VM's"
          + " configuration)");
    }
    QmpClient qmp = waiting.get();
    String uri = "tcp:0.0.0.0:" + port(command);
    long started = System.nanoTime();
    qmp.execute("migrate-incoming", QmpClient.arguments().put("uri", uri));
    progress.report(0, "Ready for VM " + command.getVmId() + " at " + uri);
    while (true) {
      String status = status(qmp);
      if (status.equals("running")) {
        return new DriverResult(Outcome.APPLIED, "VM " + command.getVmId() + " runs here, received in " + PagingDriver.millisSince(started) + " ms");
      }
      if (!status.equals("inmigrate") && !status.equals("paused")) {
        return new DriverResult(Outcome.FAILED, "VM " + command.getVmId() + " did not arrive: the waiting QEMU is " + status);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private DriverResult send(HostCommand command, Progress progress) throws IOException, InterruptedException {
    Optional<QmpClient> running = monitor(command.getVmId(), "running");
    if (running.isEmpty()) {
      return DriverResult.refused("VM " + command.getVmId() + " does not run here under a QEMU with a QMP socket");
    }
    QmpClient qmp = running.get();
    String uri = "tcp:" + settings.addressOfHost().apply(command.getDestinationHostId()) + ":" + port(command);
    qmp.execute("migrate-set-capabilities", capabilities());
    qmp.execute("migrate-set-parameters", QmpClient.arguments()
        .put("max-bandwidth", settings.maxBandwidthBytesPerSecond())
        .put("downtime-limit", settings.downtimeLimit().toMillis()));
    qmp.events("MIGRATION");
    int attempts = 0;
    JsonNode last;
    try {
      while (true) {
        attempts++;
        qmp.execute("migrate", QmpClient.arguments().put("uri", uri));
        last = follow(qmp, progress);
        String status = last.path("status").asText();
        if (status.equals("completed")) {
          break;
        }
        String error = last.path("error-desc").asText();
        if (error.contains("Connection refused")) {
          // The destination is not listening yet: it says it is ready by listening.
          if (attempts % WAITING_REPORT_EVERY == 1) {
            progress.report(0, "Waiting for " + command.getDestinationHostId() + " to listen at " + uri + " (try " + attempts
                + ")");
          }
          Thread.sleep(POLL.toMillis() * 2);
          continue;
        }
        return new DriverResult(Outcome.FAILED, "Migration of VM " + command.getVmId() + " to " + uri + " ended " + status
            + (error.isEmpty() ? "" : ": " + error) + "; the VM runs on here");
      }
    } catch (InterruptedException e) {
      // The deadline: the migration must not go on without anyone following it.
      cancel(qmp);
      throw e;
    }
    String after = settledStatus(qmp);
    if (!after.equals("postmigrate")) {
      return new DriverResult(Outcome.FAILED, "The migration of VM " + command.getVmId() + " completed, but the VM is "
          + after + " here, not stopped");
    }
    JsonNode ram = last.path("ram");
    return new DriverResult(Outcome.APPLIED, "Migrated VM " + command.getVmId() + " to " + command.getDestinationHostId()
        + " (" + uri + ", " + attempts + (attempts == 1 ? " attempt" : " attempts") + "): total "
        + last.path("total-time").asLong() + " ms, downtime " + last.path("downtime").asLong() + " ms, "
        + PagingDriver.mib(ram.path("transferred").asLong()) + " sent of " + PagingDriver.mib(ram.path("total").asLong())
        + " RAM" + Migrations.reuseEstimate(command) + "; stopped here");
  }

  private static ObjectNode capabilities() {
    ObjectNode arguments = QmpClient.arguments();
    arguments.putArray("capabilities")
        .add(QmpClient.arguments().put("capability", "auto-converge").put("state", true))
        .add(QmpClient.arguments().put("capability", "events").put("state", true));
    return arguments;
  }

  /** Follows a migration until it ends, reporting how far it got; returns the last {@code query-migrate}. */
  private JsonNode follow(QmpClient qmp, Progress progress) throws InterruptedException {
    while (true) {
      JsonNode info = qmp.execute("query-migrate", null);
      String status = info.path("status").asText();
      if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
        return info;
      }
      List<String> changes = qmp.events("MIGRATION").stream().map(e -> e.path("data").path("status").asText()).toList();
      JsonNode ram = info.path("ram");
      long total = ram.path("total").asLong();
      if (total > 0) {
        progress.report(Math.min(1, ram.path("transferred").asDouble() / total), "Migration " + status
            + (changes.isEmpty() ? "" : " (QEMU announced " + String.join(", ", changes) + ")") + ": "
            + PagingDriver.mib(ram.path("transferred").asLong()) + " sent, " + PagingDriver.mib(ram.path("remaining").asLong())
            + " remaining");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private void cancel(QmpClient qmp) {
    qmp.execute("migrate_cancel", null);
    long until = System.nanoTime() + SETTLE_WAIT.toNanos();
    while (System.nanoTime() < until) {
      if (!UNDER_WAY.contains(qmp.execute("query-migrate", null).path("status").asText())) {
        return;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Where the migration ended, from each side's QEMU: on the source, stopped after migrating
   * ({@code postmigrate}) or running on; on the destination, running or still waiting.
   */
  @Override
  public DriverResult reconcile(HostCommand command) throws IOException, InterruptedException {
    // Arrived first: on one host (a test's loopback) both QEMUs of the VM are here.
    String[] states = Migrations.receiving(command) ? new String[] {"running", "inmigrate"} : new String[] {"postmigrate", "running"};
    for (String state : states) {
      Optional<QmpClient> qmp = monitor(command.getVmId(), state);
      if (qmp.isEmpty()) {
        continue;
      }
      boolean arrived = Migrations.receiving(command) ? state.equals("running") : state.equals("postmigrate");
      if (!Migrations.receiving(command) && state.equals("running")) {
        // A migration cancelled or failed leaves the source running; one still under way has no one following it.
        String migration = qmp.get().execute("query-migrate", null).path("status").asText();
        if (UNDER_WAY.contains(migration)) {
          cancel(qmp.get());
          return new DriverResult(Outcome.FAILED, "The migration of VM " + command.getVmId() + " was still " + migration
              + " with no executor following it: cancelled, the VM runs here; it is not applied again");
        }
      }
      return new DriverResult(arrived ? Outcome.APPLIED : Outcome.FAILED, "VM " + command.getVmId() + " is " + state
          + " here" + (arrived ? ": migrated" : ": not migrated") + "; it is not applied again");
    }
    return new DriverResult(Outcome.IN_DOUBT, "No QEMU of VM " + command.getVmId() + " here: nothing to read");
  }

  /** The QMP client of the QEMU of {@code vmId} here whose run state is {@code state}. */
  private Optional<QmpClient> monitor(String vmId, String state) throws IOException, InterruptedException {
    for (DiscoveredVm vm : guests.all(vmId)) {
      Optional<Path> socket = vm.commandLine().qmpSocket();
      if (socket.isEmpty()) {
        continue;
      }
      try {
        QmpClient qmp = monitors.of(socket.get());
        if (settledStatus(qmp).equals(state)) {
          return Optional.of(qmp);
        }
      } catch (QmpException e) {
        monitors.drop(socket.get());
      }
    }
    return Optional.empty();
  }

  /** The run state once QEMU is done finishing a migration: {@code finish-migrate} lasts a moment after it completed. */
  private static String settledStatus(QmpClient qmp) throws InterruptedException {
    long until = System.nanoTime() + SETTLE_WAIT.toNanos();
    String status = status(qmp);
    while (status.equals("finish-migrate") && System.nanoTime() < until) {
      Thread.sleep(POLL.toMillis() / 10);
      status = status(qmp);
    }
    return status;
  }

  private static String status(QmpClient qmp) {
    return qmp.execute("query-status", null).path("status").asText();
  }

}
