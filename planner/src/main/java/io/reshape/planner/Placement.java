package io.reshape.planner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cell as the planner expects it to be over the coming cycle, changed as it tentatively moves
 * VMs: each host's forecast CPU load, the sum of its VMs' recent peaks (what packing counts), the
 * memory its VMs need (see {@link VmRecord#memoryNeeded}), and the migrations each host is part of.
 * A migration still under way counts as done, so that it is not decided again and its destination
 * is not filled twice.
 */
final class Placement {

  private final List<HostRecord> hosts;
  private final Map<String, Integer> index = new HashMap<>();
  private final double[] load;
  private final double[] peakLoad;
  private final long[] memory;
  private final int[] migrations;
  private final boolean[] unmeasured;
  private final List<List<VmRecord>> vmsOn = new ArrayList<>();
  private final Map<String, Integer> hostOfVm = new HashMap<>();
  private final Map<String, Double> demand = new HashMap<>();
  private final Map<String, Double> peak = new HashMap<>();
  private final List<Move> moves = new ArrayList<>();
  private int cellMigrations;

  /** A tentative move, kept so that a lever can take back moves that did not add up. */
  private record Move(VmRecord vm, int from, int to) {}

  Placement(Cell cell, Forecast forecast) {
    hosts = cell.hosts();
    load = new double[hosts.size()];
    peakLoad = new double[hosts.size()];
    memory = new long[hosts.size()];
    migrations = new int[hosts.size()];
    unmeasured = new boolean[hosts.size()];
    for (int h = 0; h < hosts.size(); h++) {
      index.put(hosts.get(h).hostId, h);
      vmsOn.add(new ArrayList<>());
    }
    for (VmRecord vm : cell.vms()) {
      boolean migrating = "MIGRATE".equals(vm.pendingAction);
      Integer h = index.get(migrating ? vm.pendingDestination : vm.hostId);
      if (h == null || vm.hostId == null) {
        continue;
      }
      double mips = forecast.mips(vm);
      demand.put(vm.vmId, mips);
      peak.put(vm.vmId, forecast.peakMips(vm));
      put(vm, h);
      unmeasured[h] |= !forecast.measured(vm);
      if (migrating) {
        cellMigrations++;
        migrations[h]++;
        Integer from = index.get(vm.hostId);
        if (from != null) {
          migrations[from]++;
        }
      }
    }
  }

  private void put(VmRecord vm, int h) {
    hostOfVm.put(vm.vmId, h);
    vmsOn.get(h).add(vm);
    load[h] += demand.get(vm.vmId);
    peakLoad[h] += peak.get(vm.vmId);
    memory[h] += vm.memoryNeeded();
  }

  /** Moves {@code vm} to host {@code to} for the rest of the cycle's planning. */
  void move(VmRecord vm, int to) {
    int from = hostOfVm.get(vm.vmId);
    take(vm, from);
    put(vm, to);
    migrations[from]++;
    migrations[to]++;
    cellMigrations++;
    moves.add(new Move(vm, from, to));
  }

  private void take(VmRecord vm, int from) {
    vmsOn.get(from).remove(vm);
    load[from] -= demand.get(vm.vmId);
    peakLoad[from] -= peak.get(vm.vmId);
    memory[from] -= vm.memoryNeeded();
  }

  /** How many moves have been made; {@link #undo} takes back those after. */
  int mark() {
    return moves.size();
  }

  /** Takes back, newest first, every move made after {@code mark}. */
  void undo(int mark) {
    while (moves.size() > mark) {
      Move m = moves.remove(moves.size() - 1);
      take(m.vm(), m.to());
      put(m.vm(), m.from());
      migrations[m.from()]--;
      migrations[m.to()]--;
      cellMigrations--;
    }
  }

  /** Pages {@code vm} out or back in: its host holds {@code residentAfter} bytes of it from now on. */
  void resize(VmRecord vm, long residentAfter) {
    memory[hostOfVm.get(vm.vmId)] += residentAfter - vm.memoryNeeded();
  }

  int hostCount() {
    return hosts.size();
  }

  HostRecord host(int h) {
    return hosts.get(h);
  }

  Integer indexOf(String hostId) {
    return index.get(hostId);
  }

  boolean placed(VmRecord vm) {
    return hostOfVm.containsKey(vm.vmId);
  }

  int hostOf(VmRecord vm) {
    return hostOfVm.get(vm.vmId);
  }

  List<VmRecord> vmsOn(int h) {
    return vmsOn.get(h);
  }

  boolean active(int h) {
    return !vmsOn.get(h).isEmpty();
  }

  /** Whether some VM on the host has no CPU measurement yet: its load is a guess, so the host is left as it is. */
  boolean unmeasured(int h) {
    return unmeasured[h];
  }

  double demand(VmRecord vm) {
    return demand.get(vm.vmId);
  }

  double load(int h) {
    return load[h];
  }

  /** The VM's recent peak demand, MIPS: what packing counts. */
  double peak(VmRecord vm) {
    return peak.get(vm.vmId);
  }

  /** The sum of the recent peaks of the host's VMs, MIPS. */
  double peakLoad(int h) {
    return peakLoad[h];
  }

  /** Recent peak load over capacity. */
  double peakShare(int h) {
    return peakLoad[h] / hosts.get(h).mips();
  }

  /** Forecast CPU load over capacity, 0 to beyond 1. */
  double share(int h) {
    return load[h] / hosts.get(h).mips();
  }

  long memory(int h) {
    return memory[h];
  }

  int migrations(int h) {
    return migrations[h];
  }

  int cellMigrations() {
    return cellMigrations;
  }
}
