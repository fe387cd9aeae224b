package io.reshape.actuator.drivers;

import io.reshape.actuator.executor.Driver;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Live migration of libvirt domains, as most production KVM hosts run them. libvirt carries the
 * conversation between the two hosts itself (the destination's libvirtd prepares a QEMU with the
 * domain's configuration and says when it is ready), so each side's part is smaller than with
 * bare QEMU: the source asks its libvirtd to migrate the domain live to the destination's, with
 * auto-converge and the bandwidth limit, and aborts the job at the deadline; the destination
 * waits for the domain to run there and reports what its libvirtd saw of the migration (time,
 * downtime, bytes). A VM id is the domain's UUID or name, as the collector names VMs.
 *
 * @param localUri this host's libvirtd ({@code RESHAPE_LIBVIRT_URI})
 * @param uriOfHost another host's libvirtd, by host id
 */
public final class LibvirtMigrationDriver implements Driver {

  /** Migration settings of a libvirt host. */
  public record Settings(String localUri, Function<String, String> uriOfHost, Function<String, String> addressOfHost,
      long maxBandwidthBytesPerSecond, int firstPort, int ports) {}

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

  private final Settings settings;
  private final Virsh local;

  public LibvirtMigrationDriver(Settings settings) {
    this.settings = settings;
    this.local = new Virsh(settings.localUri());
  }

  @Override
  public String name() {
    return "libvirt";
  }

  @Override
  public DriverResult apply(HostCommand command, Progress progress) throws IOException, InterruptedException {
    if (command.getAction() != Action.MIGRATE) {
      throw new IllegalArgumentException("The libvirt driver does not " + command.getAction());
    }
    return Migrations.receiving(command) ? receive(command, progress) : send(command, progress);
  }

  private DriverResult send(HostCommand command, Progress progress) throws IOException, InterruptedException {
    String domain = command.getVmId();
    Optional<String> state = local.state(domain);
    if (state.isEmpty() || !state.get().equals("running")) {
      return DriverResult.refused("Domain " + domain + " is " + state.orElse("not known to " + local.uri()) + ", not running");
    }
    String destination = settings.uriOfHost().apply(command.getDestinationHostId());
    int port = Migrations.port(command, settings.firstPort(), settings.ports());
    String migrateUri = "tcp://" + settings.addressOfHost().apply(command.getDestinationHostId()) + ":" + port;
    long mibPerSecond = Math.max(1, settings.maxBandwidthBytesPerSecond() >> 20);
    long started = System.nanoTime();
    Process migration = local.start("migrate", "--live", "--auto-converge", "--bandwidth", Long.toString(mibPerSecond),
        domain, destination, "--migrateuri", migrateUri);
    try {
      // A progress report starts a virsh of its own: once a second, while the migration's own virsh runs.
      while (!migration.waitFor(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
        progress(domain, progress);
      }
    } catch (InterruptedException e) {
      // The deadline: libvirt's job goes on without its client; abort it, and the domain runs on here.
      abort(domain);
      migration.destroy();
      throw e;
    }
    String said = new String(migration.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    long millis = PagingDriver.millisSince(started);
    if (migration.exitValue() != 0) {
      return new DriverResult(Outcome.FAILED, "libvirt did not migrate domain " + domain + " to " + destination + ": " + said
          + "; it runs on here");
    }
    Optional<String> after = local.state(domain);
    return new DriverResult(Outcome.APPLIED, "Migrated domain " + domain + " to " + command.getDestinationHostId() + " ("
        + destination + ", " + migrateUri + ") in " + millis + " ms" + Migrations.reuseEstimate(command) + "; "
        + after.map(s -> "here it is " + s).orElse("it is gone from here"));
  }

  private void progress(String domain, Progress progress) {
    try {
      String info = local.run("domjobinfo", domain);
      Optional<String> processed = Virsh.field(info, "Data processed");
      Optional<String> remaining = Virsh.field(info, "Data remaining");
      if (processed.isPresent() && remaining.isPresent()) {
        progress.report(0.5, "Migration under way: " + processed.get() + " sent, " + remaining.get() + " remaining");
      }
    } catch (IOException e) {
      // The job may have just ended: nothing to say this time.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void abort(String domain) {
    try {
      local.run("domjobabort", domain);
    } catch (IOException | InterruptedException e) {
      // Nothing under way any more, or libvirt unreachable: reconciliation reads what is left.
    }
  }

  private DriverResult receive(HostCommand command, Progress progress) throws IOException, InterruptedException {
    String domain = command.getVmId();
    long started = System.nanoTime();
    progress.report(0, "Waiting for domain " + domain + " at " + local.uri());
    while (!local.state(domain).map("running"::equals).orElse(false)) {
      Thread.sleep(POLL.toMillis());
    }
    String info = local.run("domjobinfo", "--completed", domain);
    return new DriverResult(Outcome.APPLIED, "Domain " + domain + " runs here, " + (System.nanoTime() - started) / 1_000_000
        + " ms after this host began waiting; libvirt saw: " + Virsh.field(info, "Time elapsed").orElse("?") + " in all, "
        + Virsh.field(info, "Total downtime").orElse("?") + " of downtime, " + Virsh.field(info, "Data processed").orElse("?")
        + " of " + Virsh.field(info, "Data total").orElse("?") + " sent");
  }

  /**
   * Where the domain is, by this host's libvirtd: on the source, gone (migrated) or running (a job
   * still under way is aborted: rolled back); on the destination, running or not there.
   */
  @Override
  public DriverResult reconcile(HostCommand command) throws IOException, InterruptedException {
    String domain = command.getVmId();
    Optional<String> state = local.state(domain);
    if (Migrations.receiving(command)) {
      boolean arrived = state.map("running"::equals).orElse(false);
      return new DriverResult(arrived ? Outcome.APPLIED : Outcome.FAILED, "Domain " + domain + " is "
          + state.orElse("not here") + (arrived ? ": migrated" : ": not migrated") + "; it is not applied again");
    }
    if (state.isEmpty()) {
      return new DriverResult(Outcome.APPLIED, "Domain " + domain + " is gone from here: migrated; it is not applied again");
    }
    String job = Virsh.field(local.run("domjobinfo", domain), "Job type").orElse("None");
    if (!job.equals("None")) {
      abort(domain);
      return new DriverResult(Outcome.FAILED, "The migration of domain " + domain + " was still under way with no executor"
          + " following it: aborted, the domain runs here; it is not applied again");
    }
    return new DriverResult(Outcome.FAILED, "Domain " + domain + " is " + state.get() + " here: not migrated; it is not"
        + " applied again");
  }
}
