package io.reshape.actuator.drivers;

import com.fasterxml.jackson.databind.JsonNode;
import io.reshape.actuator.executor.Driver;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.CpuQuotaGroup;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.ProcFs;
import io.reshape.host.QmpConnections;
import io.reshape.host.ThreadCounters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Confirms that a VM is idle by depriving it of CPU time, as the "hundreds of VMs" work proposes:
 * its vCPU threads are capped, step by step, to a smaller share of a CPU each; a VM that uses
 * nearly all it is given and is held back at some step is busy, and the probe stops there; one that
 * stays well under every cap, down to the last, is idle. Its CPU is given back whatever happens.
 * The outcome is {@code APPLIED} with the verdict in words, and what each step measured.
 */
public final class IdleProbeDriver implements Driver {

  /**
   * @param controller the cgroup v1 {@code cpu} controller
   * @param records where a probe keeps which cgroup each vCPU came from, until it has given them back
   * @param shares the caps, in turn, as a share of one CPU per vCPU
   * @param period the CFS period the caps are given in
   * @param step how long each cap is held
   * @param busyUse the share of a cap a VM held back at it must have used to be called busy
   */
  public record Settings(Path controller, Path records, List<Double> shares, Duration period, Duration step, double busyUse) {

    public static Settings defaults(Path records) {
      return new Settings(CpuQuotaGroup.CONTROLLER, records, List.of(0.5, 0.25, 0.1, 0.05), Duration.ofMillis(100),
          Duration.ofSeconds(1), 0.8);
    }
  }

  private final ProcFs proc;
  private final QemuGuests guests;
  private final QmpConnections monitors;
  private final Settings settings;

  public IdleProbeDriver(ProcFs proc, QmpConnections monitors, Settings settings) {
    this.proc = proc;
    this.guests = new QemuGuests(proc);
    this.monitors = monitors;
    this.settings = settings;
  }

  @Override
  public String name() {
    return "cpu-probe";
  }

  private static String group(HostCommand command) {
    return "probe-" + command.getVmId();
  }

  @Override
  public DriverResult apply(HostCommand command, Progress progress) throws IOException, InterruptedException {
    if (command.getAction() != Action.PROBE_IDLE) {
      throw new IllegalArgumentException("The cpu-probe driver does not " + command.getAction());
    }
    if (!CpuQuotaGroup.available(settings.controller())) {
      return DriverResult.refused("This host has no cgroup v1 cpu controller with bandwidth control at " + settings.controller());
    }
    Optional<DiscoveredVm> found = guests.find(command.getVmId());
    if (found.isEmpty() || found.get().commandLine().qmpSocket().isEmpty()) {
      return DriverResult.refused("VM " + command.getVmId() + " has no QEMU process with a QMP socket on " + command.getHostId());
    }
    DiscoveredVm vm = found.get();
    List<Long> vcpus = new ArrayList<>();
    for (JsonNode cpu : monitors.of(vm.commandLine().qmpSocket().get()).execute("query-cpus-fast", null)) {
      vcpus.add(cpu.path("thread-id").asLong());
    }
    List<String> steps = new ArrayList<>();
    String verdict = null;
    try (CpuQuotaGroup capped = CpuQuotaGroup.create(proc, settings.controller(), settings.records(), group(command),
        vm.pid(), vcpus)) {
      for (int i = 0; i < settings.shares().size() && verdict == null; i++) {
        double share = settings.shares().get(i);
        long period = settings.period().toNanos() / 1000;
        capped.limit(Math.max(1000, Math.round(share * period * vcpus.size())), period);
        progress.report((double) i / settings.shares().size(), "CPU cut to " + percent(share) + " of a CPU per vCPU");
        long ran = runNanos(vm.pid(), vcpus);
        long throttled = capped.throttledPeriods();
        Thread.sleep(settings.step().toMillis());
        long used = runNanos(vm.pid(), vcpus) - ran;
        long heldBack = capped.throttledPeriods() - throttled;
        double allowed = share * settings.step().toNanos() * vcpus.size();
        steps.add(percent(share) + ": " + used / 1_000_000 + " of " + Math.round(allowed / 1e6) + " ms, held back " + heldBack
            + " times");
        if (heldBack > 0 && used >= settings.busyUse() * allowed) {
          verdict = "not idle: it used nearly all the CPU it was given at " + percent(share) + " and wanted more";
        }
      }
    }
    if (verdict == null) {
      verdict = "idle: it stayed under every cap, down to " + percent(settings.shares().get(settings.shares().size() - 1))
          + " of a CPU per vCPU";
    }
    return new DriverResult(Outcome.APPLIED, "VM " + vm.vmId() + " is " + verdict + " (" + String.join("; ", steps)
        + "); its CPU is given back");
  }

  private long runNanos(long pid, List<Long> vcpus) throws IOException {
    long total = 0;
    for (long tid : vcpus) {
      total += proc.thread(pid, tid).map(ThreadCounters::runNs).orElse(0L);
    }
    return total;
  }

  /** A probe cut short gives no verdict; what it may have left capped is given back. */
  @Override
  public DriverResult reconcile(HostCommand command) throws IOException {
    Optional<String> undone = CpuQuotaGroup.undo(settings.controller(), settings.records(), group(command));
    return new DriverResult(Outcome.FAILED, "The probe of VM " + command.getVmId() + " stopped before a verdict; "
        + undone.map(u -> "its CPU is given back (" + u + ")").orElse("nothing was left capped") + "; it is not applied again");
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

}
