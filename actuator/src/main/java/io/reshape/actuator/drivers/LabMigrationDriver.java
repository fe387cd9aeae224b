package io.reshape.actuator.drivers;

import io.reshape.actuator.executor.Driver;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.lab.KvmLabVm;
import io.reshape.host.lab.LabVms;
import io.reshape.host.lab.ReuseMigration;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Live migration of the lab VMs a host agent runs ({@link LabVms}) between two host agents, with
 * {@link ReuseMigration}: a VM going back to a host that kept its old image sends only the pages
 * written since it left. A MIGRATE reaches both hosts:
 *
 * <ul>
 *   <li>the destination listens on the migration's port for that VM, with the image it kept of it
 *       (or none), reports that it is ready, and then that the VM runs there;
 *   <li>the source connects once the destination listens (it tries again while the connection is
 *       refused), sends the VM, keeps its memory here as the image for a later return, and reports
 *       the bytes sent against a full migration of the same VM.
 * </ul>
 */
public final class LabMigrationDriver implements Driver {

  private static final Duration POLL = Duration.ofMillis(100);
  /** How often, in tries, the source says it still waits for the destination to listen. */
  private static final int WAITING_REPORT_EVERY = 10;
  /** Pre-copy rounds at most, and the written pages below which the stop and copy starts. */
  private static final int MAX_ROUNDS = 8;
  private static final int STOP_BELOW = 8;
  /** A stalled peer fails the migration after this; a lab VM's whole memory crosses loopback in milliseconds. */
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

  private final LabVms vms;
  private final QmpMigrationDriver.Settings settings;

  public LabMigrationDriver(LabVms vms, QmpMigrationDriver.Settings settings) {
    this.vms = vms;
    this.settings = settings;
  }

  @Override
  public String name() {
    return "lab-reuse";
  }

  @Override
  public DriverResult apply(HostCommand command, Progress progress) throws IOException, InterruptedException {
    if (command.getAction() != Action.MIGRATE) {
      throw new IllegalArgumentException("The lab-reuse driver does not " + command.getAction());
    }
    return Migrations.receiving(command) ? receive(command, progress) : send(command, progress);
  }

  private int port(HostCommand command) {
    return Migrations.port(command, settings.firstPort(), settings.ports());
  }

  private DriverResult receive(HostCommand command, Progress progress) throws IOException, InterruptedException {
    String vmId = command.getVmId();
    if (vms.running(vmId).isPresent()) {
      return DriverResult.refused("Lab VM " + vmId + " runs here already");
    }
    Optional<KvmLabVm> kept = vms.kept(vmId);
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(port(command)));
      server.setSoTimeout((int) POLL.toMillis());
      progress.report(0, "Ready for lab VM " + vmId + " on port " + server.getLocalPort()
          + (kept.isPresent() ? ", with the image kept here when it left" : ", with no image of it here"));
      while (true) {
        if (Thread.interrupted()) {
          throw new InterruptedException("The deadline passed while waiting for lab VM " + vmId);
        }
        Socket socket;
        try {
          socket = server.accept();
        } catch (SocketTimeoutException e) {
          continue;
        }
        long started = System.nanoTime();
        try (socket) {
          socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
          KvmLabVm arrived = ReuseMigration.receive(socket, vmId, kept.orElse(null));
          vms.arrived(vmId, arrived);
          return new DriverResult(Outcome.APPLIED, "Lab VM " + vmId + " runs here, received in " + PagingDriver.millisSince(started) + " ms"
              + (arrived == kept.orElse(null) ? " into the image kept here" : ""));
        } catch (IOException e) {
          // Another VM, or a transfer cut short: the source may try again until the deadline.
          progress.report(0, "A try to receive lab VM " + vmId + " failed (" + e.getMessage() + "); waiting on");
        }
      }
    }
  }

  private DriverResult send(HostCommand command, Progress progress) throws InterruptedException {
    String vmId = command.getVmId();
    Optional<KvmLabVm> found = vms.running(vmId);
    if (found.isEmpty()) {
      return DriverResult.refused("Lab VM " + vmId + " does not run here");
    }
    InetSocketAddress destination = new InetSocketAddress(settings.addressOfHost().apply(command.getDestinationHostId()),
        port(command));
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try (Socket socket = new Socket()) {
        socket.connect(destination, (int) SOCKET_TIMEOUT.toMillis());
        socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
        ReuseMigration.Report sent = ReuseMigration.send(vmId, found.get(), socket, MAX_ROUNDS, STOP_BELOW);
        vms.left(vmId);
        return new DriverResult(Outcome.APPLIED, "Migrated lab VM " + vmId + " to " + command.getDestinationHostId() + " ("
            + destination + ", " + attempt + (attempt == 1 ? " attempt" : " attempts") + ") in " + PagingDriver.millisSince(started) + " ms: "
            + sent.bytesSent() + " bytes sent against " + sent.fullBytes() + " for a full migration; " + sent.reused() + " of "
            + sent.pages() + " pages reused from the destination's kept image, " + sent.sentPages() + " sent, " + sent.rounds()
            + " pre-copy rounds, held " + sent.downtimeMicros() / 1000.0 + " ms" + Migrations.reuseEstimate(command)
            + "; its image is kept here");
      } catch (ConnectException e) {
        // The destination is not listening yet: it says it is ready by listening.
        if (attempt % WAITING_REPORT_EVERY == 1) {
          progress.report(0, "Waiting for " + command.getDestinationHostId() + " to listen at " + destination + " (try " + attempt
              + ")");
        }
        Thread.sleep(POLL.toMillis() * 2);
      } catch (IOException e) {
        return new DriverResult(Outcome.FAILED, "Migration of lab VM " + vmId + " to " + destination + " failed: " + e.getMessage()
            + "; the VM runs on here");
      }
    }
  }

  /**
   * Where the VM is: running here, or left with its image kept here. Lab VMs live in the host
   * agent's process, so after a crash neither side has it any more, and nothing can tell.
   */
  @Override
  public DriverResult reconcile(HostCommand command) {
    String vmId = command.getVmId();
    boolean runs = vms.running(vmId).isPresent();
    if (Migrations.receiving(command)) {
      return new DriverResult(runs ? Outcome.APPLIED : Outcome.FAILED, "Lab VM " + vmId + (runs ? " runs here: migrated" :
          " does not run here: not migrated") + "; it is not applied again");
    }
    if (runs) {
      return new DriverResult(Outcome.FAILED, "Lab VM " + vmId + " runs here still: not migrated; it is not applied again");
    }
    if (vms.kept(vmId).isPresent()) {
      return new DriverResult(Outcome.APPLIED, "Lab VM " + vmId + " left; its image is kept here; it is not applied again");
    }
    return new DriverResult(Outcome.IN_DOUBT, "Lab VM " + vmId + " is neither running nor kept here (lab VMs end with the"
        + " host agent's process): nothing to read");
  }

}
