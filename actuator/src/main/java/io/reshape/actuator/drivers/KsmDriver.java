package io.reshape.actuator.drivers;

import io.reshape.actuator.executor.Driver;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns the host's KSM on and off through {@code /sys/kernel/mm/ksm}: on, at the scan rate this
 * host is configured with, waiting for the scans that merge a page (within the command's deadline) so that it
 * can report {@code pages_sharing} before and after; off with {@code run=0}, which stops scanning
 * and keeps what is merged, since unmerging would cost the memory KSM saved. QEMU marks its guests'
 * RAM mergeable itself.
 *
 * @param pagesToScan pages KSM scans each time it wakes
 * @param sleep how long it sleeps between two scans
 */
public final class KsmDriver implements Driver {

  /** Where the kernel has KSM's settings and counters. */
  public static final Path SYSFS = Path.of("/sys/kernel/mm/ksm");
  private static final Duration POLL = Duration.ofMillis(50);

  private final Path ksm;
  private final int pagesToScan;
  private final Duration sleep;

  public KsmDriver(Path ksm, int pagesToScan, Duration sleep) {
    this.ksm = ksm;
    this.pagesToScan = pagesToScan;
    this.sleep = sleep;
  }

  @Override
  public String name() {
    return "ksm";
  }

  @Override
  public DriverResult apply(HostCommand command, Progress progress) throws IOException, InterruptedException {
    if (!Files.isWritable(ksm.resolve("run"))) {
      return DriverResult.refused("This host has no KSM, or it may not be changed (" + ksm.resolve("run") + " is not writable)");
    }
    long before = read("pages_sharing");
    boolean wasOn = read("run") == 1;
    if (command.getAction() == Action.DISABLE_KSM) {
      write("run", 0);
      return new DriverResult(Outcome.APPLIED, "KSM off (it was " + (wasOn ? "on" : "off") + "); what it merged stays merged: "
          + "pages_sharing " + before + " -> " + read("pages_sharing"));
    }
    if (command.getAction() != Action.ENABLE_KSM) {
      throw new IllegalArgumentException("The KSM driver does not " + command.getAction());
    }
    write("pages_to_scan", pagesToScan);
    write("sleep_millisecs", sleep.toMillis());
    long scans = read("full_scans");
    write("run", 1);
    progress.report(0.5, "KSM on, scanning " + pagesToScan + " pages every " + sleep.toMillis() + " ms");
    // A page is merged on the third scan that sees it unchanged (unstable tree, then stable), and the
    // first scan may have been under way when this began.
    boolean scanned = awaitScans(scans + 4, command.getDeadline());
    return new DriverResult(Outcome.APPLIED, "KSM on (it was " + (wasOn ? "on" : "off") + "), scanning " + pagesToScan
        + " pages every " + sleep.toMillis() + " ms: pages_sharing " + before + " -> " + read("pages_sharing")
        + (scanned ? " after the scans that merge a page" : " when the deadline came, before those scans ended"));
  }

  private boolean awaitScans(long scans, Instant deadline) throws IOException, InterruptedException {
    while (read("full_scans") < scans) {
      if (Instant.now().plus(POLL).isAfter(deadline)) {
        return false;
      }
      Thread.sleep(POLL.toMillis());
    }
    return true;
  }

  /** KSM's state says how the command ended: on or off. */
  @Override
  public DriverResult reconcile(HostCommand command) throws IOException {
    boolean on = read("run") == 1;
    boolean wanted = command.getAction() == Action.ENABLE_KSM;
    return new DriverResult(on == wanted ? Outcome.APPLIED : Outcome.FAILED, "KSM is " + (on ? "on" : "off")
        + ", pages_sharing " + read("pages_sharing") + "; it is not applied again");
  }

  private long read(String counter) throws IOException {
    return Long.parseLong(Files.readString(ksm.resolve(counter)).trim());
  }

  private void write(String setting, long value) throws IOException {
    Files.writeString(ksm.resolve(setting), Long.toString(value));
  }
}
