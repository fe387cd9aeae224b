package io.reshape.planner;

import io.reshape.events.Action;
import io.reshape.events.Decision;
import io.reshape.schemas.Micros;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A small cell built by hand for planner tests: hosts of 4 cores of 1000 MIPS, VMs with a measured demand. */
final class Fleet {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final long GIB = 1L << 30;

  final List<HostRecord> hosts = new ArrayList<>();
  final List<VmRecord> vms = new ArrayList<>();
  final List<PairRecord> pairs = new ArrayList<>();
  final CellRecord memory = new CellRecord("cell");

  HostRecord host(String id) {
    HostRecord h = new HostRecord();
    h.hostId = id;
    h.cellId = "cell";
    h.cores = 4;
    h.coreMips = 1000;
    h.memoryBytes = 16 * GIB;
    h.powerWatts = PowerModel.linear(100, 200).table();
    hosts.add(h);
    return h;
  }

  /** A running VM on {@code host} whose averaged demand is {@code mips} (of 1000-MIPS cores). */
  VmRecord vm(String id, String host, double mips) {
    VmRecord v = new VmRecord();
    v.vmId = id;
    v.hostId = host;
    v.vcpus = 4;
    v.memoryBytes = 2 * GIB;
    v.state = "RUNNING";
    v.cpuCores = mips / 1000;
    v.cpuHostId = host;
    v.cpuAtMicros = Micros.of(NOW.minusSeconds(10));
    vms.add(v);
    return v;
  }

  PairRecord pair(String a, String b, double bytesPerSecond, long sharedPages) {
    PairRecord p = new PairRecord();
    p.vmA = a;
    p.vmB = b;
    p.bytesPerSecond = bytesPerSecond;
    p.sharedPages = sharedPages;
    pairs.add(p);
    return p;
  }

  Cell cell() {
    return new Cell("cell", hosts, vms, pairs, memory);
  }

  Planner.Result plan(PlannerSettings settings) {
    return new Planner(settings).plan(cell(), NOW);
  }

  static List<Decision> migrations(Planner.Result result) {
    return result.decisions().stream().filter(d -> d.getAction() == Action.MIGRATE).toList();
  }
}
