package io.reshape.planner;

import io.reshape.events.Benefit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Consolidation: a host whose VMs' recent peaks stay under the underload share is emptied when all its VMs fit on
 * other running hosts under the target share, and freeing it (its draw and its price, over the
 * horizon) is worth more than the moves cost. The least efficient hosts (most watts per MIPS at
 * full load) go first, and among equals the least loaded; a host that receives VMs
 * in a cycle is not emptied in it. Idle VMs, which need almost no CPU, end up gathered on few hosts
 * this way (the idle pool), and a VM goes back to a host that still holds its image when that is
 * cheapest.
 */
final class ConsolidationLever implements Lever {

  @Override
  public String name() {
    return "consolidation";
  }

  @Override
  public void plan(Cycle cycle) {
    Placement placement = cycle.placement;
    List<Integer> candidates = new ArrayList<>();
    for (int h = 0; h < placement.hostCount(); h++) {
      if (placement.active(h) && !placement.unmeasured(h) && placement.peakShare(h) < cycle.settings.underloadShare()
          && placement.migrations(h) == 0) {
        candidates.add(h);
      }
    }
    // The hosts that do least per watt go first: their VMs then end up on the efficient ones.
    candidates.sort(Comparator.comparingDouble((Integer h) -> -wattsPerMips(placement.host(h)))
        .thenComparingDouble(placement::peakShare).thenComparing(h -> placement.host(h).hostId));
    Set<Integer> emptied = new HashSet<>();
    for (int h : candidates) {
      if (placement.migrations(h) > 0) {
        continue;
      }
      cycle.considered();
      if (empty(cycle, h, emptied)) {
        emptied.add(h);
      }
    }
  }

  /** A host's draw at full load over what it then delivers. */
  private static double wattsPerMips(HostRecord host) {
    return host.power().maxWatts() / host.mips();
  }

  private boolean empty(Cycle cycle, int h, Set<Integer> emptied) {
    Placement placement = cycle.placement;
    HostRecord host = placement.host(h);
    List<VmRecord> vms = new ArrayList<>(placement.vmsOn(h));
    for (VmRecord vm : vms) {
      String refusal = cycle.migrationRefusal(vm);
      if (refusal != null) {
        cycle.leave(host.hostId, "could be freed, but " + vm.vmId + " may not move: " + refusal);
        return false;
      }
    }
    vms.sort(Comparator.comparingDouble((VmRecord v) -> -placement.peak(v)).thenComparing(v -> v.vmId));
    CostModel costs = cycle.settings.costs();
    double share = placement.share(h);
    double freedWatts = host.power().watts(share);
    double value = costs.energy(freedWatts) + host.pricePerHour * CostModel.hours(costs.horizon());
    Set<Integer> excluded = new HashSet<>(emptied);
    excluded.add(h);
    int mark = placement.mark();
    List<Integer> destinations = new ArrayList<>();
    for (VmRecord vm : vms) {
      int to = cycle.destinations.best(vm, false, excluded);
      if (to < 0) {
        placement.undo(mark);
        cycle.leave(host.hostId, "could be freed, but no running host can take " + vm.vmId);
        return false;
      }
      value += cycle.destinations.value(vm, to);
      destinations.add(to);
      placement.move(vm, to);
    }
    placement.undo(mark);
    if (value <= 0) {
      cycle.leave(host.hostId, "freeing it saves less than its " + vms.size() + " migrations cost");
      return false;
    }
    for (int i = 0; i < vms.size(); i++) {
      VmRecord vm = vms.get(i);
      int to = destinations.get(i);
      String reason = "Host " + host.hostId + " is forecast at " + Destinations.percent(share) + " of its CPU, under "
          + Destinations.percent(cycle.settings.underloadShare()) + ": its " + vms.size() + " VMs fit elsewhere and it can be "
          + "switched off; " + vm.vmId + " goes to " + placement.host(to).hostId;
      cycle.migrate(vm, to, reason, new Benefit(0L, i == 0 ? 1 : 0, 0.0, 0L), i == 0 ? value : 0);
    }
    return true;
  }
}
