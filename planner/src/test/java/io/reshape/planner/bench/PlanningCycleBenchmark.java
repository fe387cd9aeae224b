package io.reshape.planner.bench;

import io.reshape.planner.Cell;
import io.reshape.planner.CellRecord;
import io.reshape.planner.HostRecord;
import io.reshape.planner.Planner;
import io.reshape.planner.PlannerSettings;
import io.reshape.planner.VmRecord;
import io.reshape.planner.sim.HostType;
import io.reshape.planner.sim.VmType;
import io.reshape.schemas.Micros;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One planning cycle of one cell, on one thread: VMs of CloudSim's four PlanetLab types spread at
 * random over G4 and G5 hosts, each with a measured demand drawn the way PlanetLab's are (mostly low,
 * some busy), so that every lever has work: overloaded hosts to relieve, sparse ones to empty.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PlanningCycleBenchmark {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  /** VMs and hosts, "vms/hosts". */
  @Param({"1000/800", "10000/2000"})
  public String size;

  private Planner planner;
  private Cell cell;

  @Setup(Level.Trial)
  public void planner() {
    planner = new Planner(PlannerSettings.defaults());
  }

  /** A fresh cell for every cycle: a cycle changes the records it decides about. */
  @Setup(Level.Invocation)
  public void cell() {
    String[] counts = size.split("/");
    cell = cell(Integer.parseInt(counts[0]), Integer.parseInt(counts[1]), new Random(42));
  }

  static Cell cell(int vmCount, int hostCount, Random random) {
    List<HostRecord> hosts = new ArrayList<>();
    for (int h = 0; h < hostCount; h++) {
      HostType type = HostType.ofHost(h);
      HostRecord host = new HostRecord();
      host.hostId = String.format("h%05d", h);
      host.cellId = "bench";
      host.cores = HostType.CORES;
      host.coreMips = type.coreMips();
      host.memoryBytes = (long) HostType.RAM_MB << 20;
      host.powerWatts = type.power().table();
      hosts.add(host);
    }
    List<VmRecord> vms = new ArrayList<>();
    for (int v = 0; v < vmCount; v++) {
      VmType type = VmType.of(v, vmCount);
      HostRecord host = hosts.get(random.nextInt(hostCount));
      VmRecord vm = new VmRecord();
      vm.vmId = String.format("vm%06d", v);
      vm.hostId = host.hostId;
      vm.vcpus = 1;
      vm.memoryBytes = (long) type.ramMb() << 20;
      vm.state = "RUNNING";
      // PlanetLab-like: most VMs lightly loaded, a few busy.
      double utilisation = Math.min(1, Math.pow(random.nextDouble(), 3));
      vm.cpuCores = Math.min(1, utilisation * type.mips() / host.coreMips);
      vm.cpuHostId = host.hostId;
      vm.cpuAtMicros = Micros.of(NOW.minusSeconds(5));
      vms.add(vm);
    }
    return new Cell("bench", hosts, vms, List.of(), new CellRecord("bench"));
  }

  @Benchmark
  public Planner.Result planOneCycle() {
    return planner.plan(cell, NOW);
  }
}
