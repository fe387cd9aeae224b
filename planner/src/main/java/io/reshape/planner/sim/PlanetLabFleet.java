package io.reshape.planner.sim;

import io.reshape.events.HostInventory;
import io.reshape.events.HostRole;
import io.reshape.events.InventoryRecord;
import io.reshape.events.QuantumSample;
import io.reshape.events.VmInventory;
import io.reshape.events.VmState;
import io.reshape.planner.CellInputs;
import io.reshape.planner.PlannerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated datacenter as Reshape's collectors would report it, and the clock it keeps. Step
 * {@code k} runs from {@code start + k x 300 s}. At its start every VM reports what it requests
 * during the step (a quantum sample over the step, in cores of the host it starts on: CloudSim's
 * VMs request their utilisation from the moment a step begins); {@link #PLANNED_AT} into it the
 * planner decides. Every VM is observed as the step begins, before the planner acts in it: the
 * state the planner's decisions change is then never reported after them as it was before them.
 * {@link #SCANNED_AT} into the step every host is observed, which moves event time on past the
 * planning for the inventory's partitions. A VM that migrated is observed on its new host when the
 * migration ends.
 */
public final class PlanetLabFleet {

  /** The cell the datacenter's hosts are in: the default one, so no input waits on learning a host's cell. */
  public static final String CELL = CellInputs.DEFAULT_CELL;
  public static final Duration STEP = Duration.ofSeconds((long) PlanetLabDay.STEP_SECONDS);
  /** When in each step the planner plans: after the step's reports are in, before the inventory scan. */
  public static final Duration PLANNED_AT = Duration.ofSeconds(5);
  /** When in each step the hosts are observed. */
  public static final Duration SCANNED_AT = Duration.ofSeconds(10);
  private static final long NANOS_PER_STEP = STEP.toNanos();

  private final SimDatacenter dc;
  private final Instant start;
  private final Map<String, Integer> hostIndex = new HashMap<>();
  private final Map<String, Integer> vmIndex = new HashMap<>();

  public PlanetLabFleet(SimDatacenter dc, Instant start) {
    this.dc = dc;
    this.start = start;
    for (int h = 0; h < dc.hostCount(); h++) {
      hostIndex.put(hostId(h), h);
    }
    for (int v = 0; v < dc.day().vmCount(); v++) {
      vmIndex.put(vmId(v), v);
    }
  }

  /**
   * The planner's settings for this fleet: a cycle a step, {@link #PLANNED_AT} into it; and, the
   * datacenter being one cell, up to a migration under way per host of it (each host still takes
   * part in at most its own cap), where the default cell cap is meant for a few dozen hosts.
   */
  public static PlannerSettings plannerSettings(PlannerSettings base) {
    return base.toBuilder().cycle(STEP).cycleOffset(PLANNED_AT).maxMigrationsPerCell(SimDatacenter.HOSTS).build();
  }

  public SimDatacenter datacenter() {
    return dc;
  }

  public Instant stepStart(int step) {
    return start.plus(STEP.multipliedBy(step));
  }

  /** The step an instant falls in. */
  public int stepOf(Instant at) {
    return (int) (Duration.between(start, at).toNanos() / NANOS_PER_STEP);
  }

  public String hostId(int host) {
    return String.format("pl-%03d", host);
  }

  public String vmId(int vm) {
    return dc.day().vmName(vm);
  }

  public Integer host(String hostId) {
    return hostIndex.get(hostId);
  }

  public Integer vm(String vmId) {
    return vmIndex.get(vmId);
  }

  public HostInventory hostInventory(int host) {
    HostType type = dc.hostType(host);
    return HostInventory.newBuilder()
        .setHostId(hostId(host))
        .setRole(HostRole.BARE_METAL)
        .setCores(HostType.CORES)
        .setCoreMips(type.coreMips())
        .setMemoryBytes((long) HostType.RAM_MB << 20)
        .setSwapBytes((long) HostType.RAM_MB << 20)
        .setKsmEnabled(dc.ksm(host))
        .setPricePerHour(0)
        .setPowerWatts(Arrays.stream(type.power().table()).boxed().toList())
        .setLabels(Map.of("model", type.model()))
        .build();
  }

  public VmInventory vmInventory(int vm) {
    VmType type = dc.day().type(vm);
    return VmInventory.newBuilder()
        .setVmId(vmId(vm))
        .setHostId(hostId(dc.hostOf(vm)))
        .setVcpus(1)
        .setMemoryBytes((long) type.ramMb() << 20)
        .setState(dc.pagedOut(vm) ? VmState.PAGED_OUT : VmState.RUNNING)
        .setLabels(Map.of("type", type.name(), "mips", Integer.toString(type.mips())))
        .build();
  }

  /** Every VM as observed when {@code step} begins, and every host as observed {@link #SCANNED_AT} into it. */
  public List<InventoryRecord> inventoryScan(int step) {
    List<InventoryRecord> scan = new ArrayList<>();
    for (int v = 0; v < dc.day().vmCount(); v++) {
      scan.add(new InventoryRecord(stepStart(step), vmInventory(v)));
    }
    Instant hostsAt = stepStart(step).plus(SCANNED_AT);
    for (int h = 0; h < dc.hostCount(); h++) {
      scan.add(new InventoryRecord(hostsAt, hostInventory(h)));
    }
    return scan;
  }

  /** What VM {@code vm} requests during {@code step}, as the run time of its vCPU on the host it starts the step on. */
  public QuantumSample sample(int vm, int step) {
    int host = dc.hostOf(vm);
    double cores = dc.day().requestedMips(vm, step) / dc.hostType(host).coreMips();
    long runNs = Math.round(Math.min(1, cores) * NANOS_PER_STEP);
    return QuantumSample.newBuilder()
        .setVmId(vmId(vm))
        .setHostId(hostId(host))
        .setVcpu(0)
        .setIntervalStart(stepStart(step))
        .setIntervalEnd(stepStart(step + 1))
        .setRunNs(runNs)
        .setRunqueueWaitNs(0)
        .setHaltNs(NANOS_PER_STEP - runNs)
        .setHaltExits(null)
        .setVoluntarySwitches(0)
        .setInvoluntarySwitches(0)
        .build();
  }
}
