package io.reshape.planner;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a VM may go, and which of those hosts is best. A host may take a VM when its cores are fast
 * enough for the VM's vCPUs, its VMs' recent peaks with the VM's stay under the target share (the
 * hysteresis: a host filled to the target is not overloaded by the next wobble), its RAM holds the
 * VM where memory is enforced, it is not already part of as many migrations as allowed, and no VM
 * there is heavy on a resource the VM is heavy on too. Among those, the best host is the one where
 * the move is worth most: least to send (the VM's old image reused, MiyakoDori; nothing at all to a
 * sibling on the same physical machine, VMBeam), most traffic kept local and pages shared (Virtual
 * Putty, Memory Buddies), cheapest and most efficient, and, all else equal, the fullest (best fit).
 */
final class Destinations {

  /** Page size of the sharing estimates, bytes. */
  private static final long PAGE_BYTES = 4096;
  /** NIC and memory-write capacities a VM is heavy on, when a host does not say: 10 Gbit/s, 1 M pages/s. */
  static final double NIC_BYTES_PER_SECOND = 1.25e9;
  static final double WRITE_PAGES_PER_SECOND = 1e6;

  private final Placement placement;
  private final PlannerSettings settings;
  private final Map<String, List<PairRecord>> pairsByVm;

  Destinations(Placement placement, PlannerSettings settings, Map<String, List<PairRecord>> pairsByVm) {
    this.placement = placement;
    this.settings = settings;
    this.pairsByVm = pairsByVm;
  }

  /** Why {@code vm} may not go to host {@code h}; null when it may. */
  String refusal(VmRecord vm, int h, boolean mayPowerOn) {
    HostRecord host = placement.host(h);
    if (placement.hostOf(vm) == h) {
      return "already there";
    }
    if (host.mips() <= 0) {
      return "host " + host.hostId + " has no CPU capacity in the inventory";
    }
    if (!mayPowerOn && !placement.active(h)) {
      return "host " + host.hostId + " is off";
    }
    if (placement.unmeasured(h)) {
      return "host " + host.hostId + " holds a VM whose CPU is not measured yet";
    }
    double demand = placement.peak(vm);
    if (demand / Math.max(1, vm.vcpus) > host.coreMips) {
      return "host " + host.hostId + "'s cores are slower than a vCPU of " + vm.vmId + " needs";
    }
    if ((placement.peakLoad(h) + demand) / host.mips() > settings.targetShare()) {
      return "host " + host.hostId + " would exceed " + percent(settings.targetShare()) + " of its CPU";
    }
    if (settings.enforceMemory() && placement.memory(h) + vm.memoryNeeded() > host.memoryBytes) {
      return "host " + host.hostId + " has not the RAM for " + vm.vmId;
    }
    if (placement.migrations(h) >= settings.maxMigrationsPerHost()) {
      return "host " + host.hostId + " is already part of " + placement.migrations(h) + " migrations";
    }
    for (VmRecord there : placement.vmsOn(h)) {
      if (contend(vm, there)) {
        return vm.vmId + " and " + there.vmId + " are both heavy on one resource";
      }
    }
    return null;
  }

  /** Two VMs that each use a large share of a host's network or memory-write bandwidth. */
  boolean contend(VmRecord a, VmRecord b) {
    double heavy = settings.heavyShare();
    return a.externalBytesPerSecond >= heavy * NIC_BYTES_PER_SECOND && b.externalBytesPerSecond >= heavy * NIC_BYTES_PER_SECOND
        || a.dirtyPagesPerSecond >= heavy * WRITE_PAGES_PER_SECOND && b.dirtyPagesPerSecond >= heavy * WRITE_PAGES_PER_SECOND;
  }

  /** The best host for {@code vm} outside {@code excluded}; -1 when none may take it. */
  int best(VmRecord vm, boolean mayPowerOn, Set<Integer> excluded) {
    int best = -1;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int h = 0; h < placement.hostCount(); h++) {
      if (excluded.contains(h) || refusal(vm, h, mayPowerOn) != null) {
        continue;
      }
      double value = value(vm, h);
      if (value > bestValue) {
        bestValue = value;
        best = h;
      }
    }
    return best;
  }

  /** What moving {@code vm} to host {@code h} is worth, in the cost model's currency (before the move itself is paid). */
  double value(VmRecord vm, int h) {
    CostModel costs = settings.costs();
    HostRecord host = placement.host(h);
    double demand = placement.demand(vm);
    double value = -moveCost(vm, h);
    if (placement.active(h)) {
      // Energy: what the host draws more with the VM.
      value -= costs.energy(host.power().watts((placement.load(h) + demand) / host.mips()) - host.power().watts(placement.share(h)));
    } else {
      // A host powered on for the VM will be filled up to the target share, and its draw and price then
      // serve all it holds: the VM is charged its part of them, so the host that does most per watt wins.
      double filled = settings.targetShare() * host.mips();
      double share = Math.min(1, demand / filled);
      value -= share * (costs.energy(host.power().watts(settings.targetShare())) + host.pricePerHour * CostModel.hours(costs.horizon()));
    }
    for (PairRecord pair : pairsByVm.getOrDefault(vm.vmId, List.of())) {
      if (placement.vmsOn(h).stream().anyMatch(v -> v.vmId.equals(pair.other(vm.vmId)))) {
        value += costs.transfer(pair.bytesPerSecond * costs.horizon().toSeconds());
        value += costs.memory(pair.sharedPages * PAGE_BYTES, costs.horizon());
      }
    }
    // Best fit, all else equal: the less a host has left, the better it is packed.
    double left = settings.targetShare() * host.mips() - placement.peakLoad(h) - placement.peak(vm);
    return value - 1e-9 * left;
  }

  /** What the move itself costs: the bytes it sends (none between siblings of one physical machine) and the CPU the VM loses meanwhile. */
  double moveCost(VmRecord vm, int h) {
    CostModel costs = settings.costs();
    HostRecord to = placement.host(h);
    HostRecord from = placement.host(placement.hostOf(vm));
    boolean sibling = to.physicalMachineId != null && to.physicalMachineId.equals(from.physicalMachineId);
    long bytes = sibling ? 0 : vm.bytesToSend(to.hostId);
    return costs.transfer(bytes) + costs.degradation(migrationCoreSeconds(vm, bytes));
  }

  /** A tenth of the VM's CPU for as long as the copy takes (1 Gbit/s when nothing else is known). */
  double migrationCoreSeconds(VmRecord vm, long bytes) {
    HostRecord host = placement.host(placement.hostOf(vm));
    double seconds = bytes / (NIC_BYTES_PER_SECOND / 10);
    return 0.1 * placement.demand(vm) / Math.max(1, host.coreMips) * seconds;
  }

  static String percent(double share) {
    return Math.round(share * 100) + "%";
  }
}
