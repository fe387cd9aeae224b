package io.reshape.planner;

import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.Affinity;
import io.reshape.events.Footprint;
import io.reshape.events.GenerationDiff;
import io.reshape.events.HostInventory;
import io.reshape.events.HostSharing;
import io.reshape.events.IdleState;
import io.reshape.events.IdlenessPrediction;
import io.reshape.events.Outcome;
import io.reshape.events.SharingEstimate;
import io.reshape.events.VmInventory;
import io.reshape.events.VmState;
import io.reshape.events.WindowedWrites;
import io.reshape.events.WrittenSet;
import io.reshape.schemas.Micros;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How each input the planner reads changes what it knows of a cell. Pure functions on the records,
 * so that the Flink job and the offline evaluator learn alike.
 */
public final class CellInputs {

  /** Hosts carry their cell in this inventory label; without it a host is in {@link #DEFAULT_CELL}. */
  public static final String CELL_LABEL = "cell";
  public static final String DEFAULT_CELL = "default";
  /** The written-set window the planner keeps resident when it pages a VM out. */
  static final int RESIDENT_WINDOW_SECONDS = 300;

  private CellInputs() {}

  public static String cellOf(HostInventory host) {
    return host.getLabels().getOrDefault(CELL_LABEL, DEFAULT_CELL);
  }

  public static HostRecord host(HostRecord known, HostInventory host, long observedAtMicros) {
    HostRecord r = known != null ? known : new HostRecord();
    r.hostId = host.getHostId();
    r.cellId = cellOf(host);
    r.cores = host.getCores();
    r.coreMips = host.getCoreMips();
    r.memoryBytes = host.getMemoryBytes();
    r.swapBytes = host.getSwapBytes();
    r.ksmEnabled = host.getKsmEnabled();
    r.pricePerHour = host.getPricePerHour();
    r.powerWatts = host.getPowerWatts().stream().mapToDouble(Double::doubleValue).toArray();
    r.physicalMachineId = host.getPhysicalMachineId();
    r.observedAtMicros = observedAtMicros;
    return r;
  }

  /**
   * A VM as the inventory sees it. A change of host is the planner's evidence that a migration
   * happened: the host it left is remembered, for the way back.
   */
  public static VmRecord vm(VmRecord known, VmInventory vm, long observedAtMicros) {
    VmRecord r = known != null ? known : newVm(vm.getVmId());
    if (r.hostId != null && !r.hostId.equals(vm.getHostId())) {
      r.previousHostId = r.hostId;
    }
    r.hostId = vm.getHostId();
    r.vcpus = vm.getVcpus();
    r.memoryBytes = vm.getMemoryBytes();
    r.state = vm.getState().name();
    r.pinned = vm.getPinned();
    r.observedAtMicros = observedAtMicros;
    if (vm.getState() == VmState.PAGED_OUT && !r.pagedOut) {
      r.pagedOut = true;
      r.pagedOutAtMicros = observedAtMicros;
      r.residentBytes = Math.max(0, r.writtenSetBytes);
    }
    return r;
  }

  private static VmRecord newVm(String vmId) {
    VmRecord r = new VmRecord();
    r.vmId = vmId;
    return r;
  }

  public static VmRecord footprint(VmRecord known, Footprint f) {
    VmRecord r = known != null ? known : newVm(f.getVmId());
    long at = Micros.of(f.getComputedAt());
    if (at <= r.cpuAtMicros) {
      return r;
    }
    r.cpuCores = f.getCpuDemandCores();
    r.cpuHostId = f.getHostId();
    r.cpuAtMicros = at;
    r.externalBytesPerSecond = f.getExternalBytesPerSecond();
    r.dirtyPagesPerSecond = f.getDirtyPagesPerSecond();
    if (r.hostId == null) {
      r.hostId = f.getHostId();
    }
    return r;
  }

  /** An idleness assessment; a VM waking counts as found resident or still paged out. */
  public static VmRecord idleness(VmRecord known, IdlenessPrediction p, CellRecord cell) {
    VmRecord r = known != null ? known : newVm(p.getVmId());
    boolean waking = r.idle() && p.getState() == IdleState.ACTIVE;
    if (waking && r.pagedOut) {
      cell.wakesPagedOut++;
    } else if (waking && r.pagedOutAtMicros > 0) {
      cell.wakesResident++;
    }
    r.idleState = p.getState().name();
    r.idleSinceMicros = Micros.of(p.getStateSince());
    r.predictedWakeMicros = p.getPredictedWakeAt() == null ? 0 : Micros.of(p.getPredictedWakeAt());
    r.idleConfidence = p.getConfidence() == null ? 0 : p.getConfidence();
    if (p.getState() == IdleState.ACTIVE && !r.pagedOut) {
      r.pagedOutAtMicros = 0;
    }
    return r;
  }

  /** The written set over the window closest to what paging keeps resident. */
  public static VmRecord writtenSet(VmRecord known, WrittenSet w) {
    VmRecord r = known != null ? known : newVm(w.getVmId());
    WindowedWrites window = w.getWindows().stream()
        .min((a, b) -> Integer.compare(Math.abs(a.getWindowSeconds() - RESIDENT_WINDOW_SECONDS),
            Math.abs(b.getWindowSeconds() - RESIDENT_WINDOW_SECONDS)))
        .orElse(null);
    if (window != null && w.getPageCount() > 0 && r.memoryBytes > 0) {
      r.writtenSetBytes = window.getWrittenPages() * (r.memoryBytes / w.getPageCount());
    }
    return r;
  }

  /** A reuse answer: what a move to the candidate host would send. */
  public static VmRecord reuse(VmRecord known, GenerationDiff d) {
    VmRecord r = known != null ? known : newVm(d.getVmId());
    int i = Arrays.asList(r.reuseHosts).indexOf(d.getCandidateHostId());
    if (i < 0) {
      r.reuseHosts = Arrays.copyOf(r.reuseHosts, r.reuseHosts.length + 1);
      r.reuseBytes = Arrays.copyOf(r.reuseBytes, r.reuseBytes.length + 1);
      i = r.reuseHosts.length - 1;
      r.reuseHosts[i] = d.getCandidateHostId();
    }
    r.reuseBytes[i] = d.getBytesToSend();
    return r;
  }

  public static PairRecord affinity(PairRecord known, Affinity a) {
    PairRecord r = pair(known, a.getVmA(), a.getVmB());
    r.bytesPerSecond = a.getBytesPerSecond();
    r.computedAtMicros = Math.max(r.computedAtMicros, Micros.of(a.getComputedAt()));
    return r;
  }

  public static PairRecord sharing(PairRecord known, SharingEstimate s) {
    PairRecord r = pair(known, s.getVmA(), s.getVmB());
    r.sharedPages = s.getSharedPages();
    r.computedAtMicros = Math.max(r.computedAtMicros, Micros.of(s.getComputedAt()));
    return r;
  }

  private static PairRecord pair(PairRecord known, String vmA, String vmB) {
    PairRecord r = known != null ? known : new PairRecord();
    r.vmA = vmA;
    r.vmB = vmB;
    return r;
  }

  public static HostRecord hostSharing(HostRecord known, HostSharing s) {
    HostRecord r = known != null ? known : new HostRecord();
    r.hostId = s.getHostId();
    r.mergeableBytes = s.getMergeableBytes();
    return r;
  }

  /**
   * The outcome of one of the planner's decisions. Whatever it is, the decision is no longer under
   * way. A migration carried out puts the VM on its destination (the inventory will say the same);
   * a page-out or swap-in carried out, or that would have been in a dry run, changes what the VM
   * holds. Measured swap-ins teach the lead time of the next. A migration has an outcome from each
   * of its two hosts: the first settles it, the second changes nothing.
   */
  public static VmRecord actuation(VmRecord known, Actuation a, CellRecord cell) {
    VmRecord r = known != null ? known : newVm(a.getVmId());
    boolean done = a.getOutcome() == Outcome.APPLIED || a.getOutcome() == Outcome.DRY_RUN;
    if (a.getDecisionId().equals(r.pendingDecisionId)) {
      if (a.getAction() == Action.MIGRATE && a.getOutcome() == Outcome.APPLIED && !r.pendingDestination.equals(r.hostId)) {
        r.previousHostId = r.hostId;
        r.hostId = r.pendingDestination;
      }
      clearPending(r);
    }
    if (!done) {
      return r;
    }
    if (a.getAction() == Action.PAGE_OUT && !r.pagedOut) {
      r.pagedOut = true;
      r.pagedOutAtMicros = Micros.of(a.getDecidedAt());
    } else if (a.getAction() == Action.SWAP_IN && r.pagedOut) {
      r.pagedOut = false;
      if (a.getOutcome() == Outcome.APPLIED && a.getStartedAt() != null) {
        cell.swapInTook(Duration.between(a.getStartedAt(), a.getFinishedAt()).toMillis());
      }
    }
    return r;
  }

  /** The outcome of a host-wide decision (KSM): a refusal or failure makes the planner ask again later. */
  public static HostRecord hostActuation(HostRecord known, Actuation a) {
    HostRecord r = known != null ? known : new HostRecord();
    r.hostId = a.getHostId();
    if (a.getOutcome() != Outcome.APPLIED && a.getOutcome() != Outcome.DRY_RUN) {
      r.ksmWanted = null;
    }
    return r;
  }

  /** Applies {@code input} to what {@code store} holds of the cell. */
  public static void apply(CellStore store, CellRecord cell, PlannerInput input) throws Exception {
    switch (input.kind) {
      case HOST -> store.putHost(host(store.host(input.key), input.host, input.eventMicros));
      case HOST_GONE -> store.removeHost(input.key);
      case VM -> store.putVm(vm(store.vm(input.key), input.vm, input.eventMicros));
      case VM_GONE -> {
        store.removeVm(input.key);
        forgetPairsOf(store, input.key);
      }
      case FOOTPRINT -> store.putVm(footprint(store.vm(input.key), input.footprint));
      case IDLENESS -> store.putVm(idleness(store.vm(input.key), input.idleness, cell));
      case WRITTEN_SET -> store.putVm(writtenSet(store.vm(input.key), input.writtenSet));
      case REUSE -> store.putVm(reuse(store.vm(input.reuse.getVmId()), input.reuse));
      case AFFINITY -> store.putPair(affinity(store.pair(input.key), input.affinity));
      case SHARING -> store.putPair(sharing(store.pair(input.key), input.sharing));
      case HOST_SHARING -> store.putHost(hostSharing(store.host(input.key), input.hostSharing));
      case ACTUATION -> {
        if (input.actuation.getVmId() != null) {
          store.putVm(actuation(store.vm(input.actuation.getVmId()), input.actuation, cell));
        } else {
          store.putHost(hostActuation(store.host(input.actuation.getHostId()), input.actuation));
        }
      }
    }
  }

  private static void forgetPairsOf(CellStore store, String vmId) throws Exception {
    List<String> gone = new ArrayList<>();
    for (PairRecord p : store.pairs()) {
      if (p.vmA.equals(vmId) || p.vmB.equals(vmId)) {
        gone.add(p.vmA + "|" + p.vmB);
      }
    }
    for (String key : gone) {
      store.removePair(key);
    }
  }

  static void clearPending(VmRecord r) {
    r.pendingDecisionId = null;
    r.pendingAction = null;
    r.pendingDestination = null;
    r.pendingDeadlineMicros = 0;
  }
}
