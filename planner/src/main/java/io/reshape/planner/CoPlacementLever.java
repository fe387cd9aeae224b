package io.reshape.planner;

import io.reshape.events.Benefit;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Affinity and sharing (Virtual Putty, Memory Buddies): two VMs on different hosts that talk a lot,
 * or hold many identical pages, are placed together when one may join the other and the traffic
 * kept local or the memory KSM would merge is worth more than the move. Pairs worth most go first;
 * each VM moves at most once a cycle. Two VMs heavy on the same resource are never put together
 * (see {@link Destinations}).
 */
final class CoPlacementLever implements Lever {

  @Override
  public String name() {
    return "co-placement";
  }

  @Override
  public void plan(Cycle cycle) {
    PlannerSettings settings = cycle.settings;
    List<PairRecord> pairs = cycle.cell.pairs().stream()
        .filter(p -> p.bytesPerSecond >= settings.affinityBytesPerSecond() || p.sharedPages >= settings.sharedPagesWorthMoving())
        .sorted(Comparator.comparingDouble((PairRecord p) -> -worth(cycle, p)).thenComparing(p -> p.vmA).thenComparing(p -> p.vmB))
        .toList();
    for (PairRecord pair : pairs) {
      VmRecord a = cycle.vms.get(pair.vmA);
      VmRecord b = cycle.vms.get(pair.vmB);
      if (a == null || b == null || !cycle.placement.placed(a) || !cycle.placement.placed(b)) {
        continue;
      }
      int hostA = cycle.placement.hostOf(a);
      int hostB = cycle.placement.hostOf(b);
      if (hostA == hostB) {
        continue;
      }
      cycle.considered();
      if (!join(cycle, pair, b, hostA) && !join(cycle, pair, a, hostB)) {
        cycle.leave(pair.vmA + "|" + pair.vmB, "worth placing together, but neither may join the other's host");
      }
    }
  }

  /** The pair's gain over the horizon if it shared a host. */
  private static double worth(Cycle cycle, PairRecord p) {
    CostModel costs = cycle.settings.costs();
    return costs.transfer(p.bytesPerSecond * costs.horizon().toSeconds()) + costs.memory(p.sharedPages * 4096.0, costs.horizon());
  }

  private static boolean join(Cycle cycle, PairRecord pair, VmRecord vm, int to) {
    if (cycle.migrationRefusal(vm) != null || cycle.destinations.refusal(vm, to, false) != null) {
      return false;
    }
    Placement placement = cycle.placement;
    HostRecord from = placement.host(placement.hostOf(vm));
    // Leaving its host saves what its demand draws there.
    int h = placement.hostOf(vm);
    double left = Math.max(0, placement.load(h) - placement.demand(vm)) / from.mips();
    double value = cycle.destinations.value(vm, to)
        + cycle.settings.costs().energy(from.power().watts(placement.share(h)) - from.power().watts(left));
    if (value <= 0) {
      return false;
    }
    String why = pair.bytesPerSecond >= cycle.settings.affinityBytesPerSecond()
        ? Math.round(pair.bytesPerSecond) + " B/s between them stays on one host"
        : pair.sharedPages + " identical pages KSM can merge there";
    cycle.migrate(vm, to, vm.vmId + " joins " + pair.other(vm.vmId) + " on " + placement.host(to).hostId + ": " + why,
        new Benefit(0L, 0, pair.bytesPerSecond, pair.sharedPages), value);
    return true;
  }
}
