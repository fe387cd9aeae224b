package io.reshape.planner;

import java.util.Comparator;
import java.util.List;

/**
 * Everything the planner knows of one cell at a planning cycle, in a fixed order (by id) so that a
 * replay plans alike. The records are the planner's own: a cycle updates those it decides about.
 */
public record Cell(String cellId, List<HostRecord> hosts, List<VmRecord> vms, List<PairRecord> pairs, CellRecord memory) {

  public Cell {
    hosts = hosts.stream().sorted(Comparator.comparing(h -> h.hostId)).toList();
    vms = vms.stream().sorted(Comparator.comparing(v -> v.vmId)).toList();
    pairs = pairs.stream().sorted(Comparator.comparing((PairRecord p) -> p.vmA).thenComparing(p -> p.vmB)).toList();
  }
}
