package io.reshape.planner;

import io.reshape.events.Benefit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Overload relief: a host whose forecast load (its VMs' averaged demand and trend) exceeds the
 * overload share of its CPU, or whose VMs' resident memory exceeds its RAM where memory is
 * enforced, hands VMs to other hosts until it is back under the share. Each time the VM moved is
 * the smallest that brings the host back on its own, or else the largest: the fewest migrations
 * that do it. A host is powered on only when no running host can take the VM.
 */
final class OverloadLever implements Lever {

  @Override
  public String name() {
    return "overload";
  }

  @Override
  public void plan(Cycle cycle) {
    Placement placement = cycle.placement;
    List<Integer> hosts = new ArrayList<>();
    for (int h = 0; h < placement.hostCount(); h++) {
      if (overloaded(cycle, h) && !placement.unmeasured(h)) {
        hosts.add(h);
      }
    }
    hosts.sort(Comparator.comparingDouble((Integer h) -> -placement.share(h)).thenComparing(h -> placement.host(h).hostId));
    for (int h : hosts) {
      cycle.considered();
      relieve(cycle, h);
    }
  }

  private static boolean overloaded(Cycle cycle, int h) {
    Placement p = cycle.placement;
    HostRecord host = p.host(h);
    return p.share(h) > cycle.settings.overloadShare()
        || cycle.settings.enforceMemory() && host.memoryBytes > 0 && p.memory(h) > host.memoryBytes;
  }

  private void relieve(Cycle cycle, int h) {
    Placement placement = cycle.placement;
    HostRecord host = placement.host(h);
    List<VmRecord> movable = new ArrayList<>();
    for (VmRecord vm : placement.vmsOn(h)) {
      String refusal = cycle.migrationRefusal(vm);
      if (refusal == null) {
        movable.add(vm);
      } else {
        cycle.leave(vm.vmId, "on overloaded host " + host.hostId + ", but " + refusal);
      }
    }
    while (overloaded(cycle, h) && !movable.isEmpty()) {
      double excess = placement.load(h) - cycle.settings.overloadShare() * host.mips();
      VmRecord vm = pick(movable, placement, excess);
      movable.remove(vm);
      int to = cycle.destinations.best(vm, false, Set.of(h));
      if (to < 0) {
        to = cycle.destinations.best(vm, true, Set.of(h));
      }
      if (to < 0) {
        cycle.leave(vm.vmId, "on overloaded host " + host.hostId + ", but no host can take it");
        continue;
      }
      // Left alone, an overload lasts until the load falls: count it over the horizon, as gains are.
      CostModel costs = cycle.settings.costs();
      double value = costs.overload(CostModel.hours(costs.horizon())) - cycle.destinations.moveCost(vm, to);
      if (value <= 0) {
        cycle.leave(vm.vmId, "moving it off " + host.hostId + " costs more than the overload it would end");
        continue;
      }
      String reason = "Host " + host.hostId + " is forecast at " + Destinations.percent(placement.share(h)) + " of its CPU ("
          + Math.round(placement.load(h)) + " of " + Math.round(host.mips()) + " MIPS), over "
          + Destinations.percent(cycle.settings.overloadShare()) + "; " + vm.vmId + " (" + Math.round(placement.demand(vm))
          + " MIPS) moves to " + placement.host(to).hostId + ", which stays under " + Destinations.percent(cycle.settings.targetShare());
      cycle.migrate(vm, to, reason, new Benefit(0L, 0, 0.0, 0L), value);
    }
    if (overloaded(cycle, h)) {
      cycle.leave(host.hostId, "still forecast over " + Destinations.percent(cycle.settings.overloadShare()) + ": no more VM may move");
    }
  }

  /** The smallest VM that takes the excess away on its own, or the largest when none does. */
  static VmRecord pick(List<VmRecord> movable, Placement placement, double excess) {
    Comparator<VmRecord> byDemand = Comparator.comparingDouble(placement::demand);
    return movable.stream().filter(v -> placement.demand(v) >= excess).min(byDemand.thenComparing(v -> v.vmId))
        .orElseGet(() -> movable.stream().max(byDemand.thenComparing(v -> v.vmId, Comparator.reverseOrder())).orElseThrow());
  }
}
