package io.reshape.collectors.sim;

import io.reshape.collectors.Sample;
import io.reshape.events.InventoryRecord;
import io.reshape.host.lab.KvmLabVm;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A fleet of simulated hosts and VMs producing the same signals a real collector publishes. VMs
 * are grouped in threes (a small service) that talk to each other across hosts. Lab VMs, if asked
 * for, sit on a host of their own and write their pages for real under KVM.
 */
public final class SimulatedFleet implements AutoCloseable {

  private static final long GIB = 1L << 30;
  private static final int[] VCPUS = {1, 2, 4};
  private static final long[] MEMORY = {GIB, 2 * GIB, 4 * GIB};
  private static final int SERVICE_SIZE = 3;
  private static final String LAB_HOST = "lab-01";

  private final List<SimulatedHost> hosts = new ArrayList<>();
  private final List<SimulatedVm> vms = new ArrayList<>();
  private final int modelledHosts;
  private final int modelledVms;
  private final long moveEveryMillis;
  private long sinceMoveMillis;
  private int moves;
  /** Where the VM on its way now came from, so the next move takes it back. */
  private SimulatedHost home;

  public SimulatedFleet(FleetSpec spec) {
    SplittableRandom random = new SplittableRandom(spec.seed());
    for (int h = 1; h <= spec.hosts(); h++) {
      hosts.add(new SimulatedHost(String.format("host-%02d", h), 32, 128 * GIB));
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < spec.vms(); i++) {
      ids.add(String.format("vm-%02d-%02d", i % spec.hosts() + 1, i / spec.hosts() + 1));
    }
    for (int i = 0; i < spec.vms(); i++) {
      int service = i / SERVICE_SIZE * SERVICE_SIZE;
      List<String> peers = new ArrayList<>();
      for (int j = service; j < Math.min(service + SERVICE_SIZE, spec.vms()); j++) {
        if (j != i) {
          peers.add(ids.get(j));
        }
      }
      // VM i sits on host i mod hosts, so a service spans several hosts.
      int vcpus = VCPUS[random.nextInt(VCPUS.length)];
      GuestMemory memory = GuestMemory.modelled((int) (MEMORY[random.nextInt(MEMORY.length)] / SimulatedVm.PAGE_SIZE));
      // A service's VMs started from one image: a quarter of the smallest VM's RAM alike in each.
      MemoryImage image = new MemoryImage(service, (int) (MEMORY[0] / SimulatedVm.PAGE_SIZE / 4));
      vms.add(new SimulatedVm(ids.get(i), hosts.get(i % spec.hosts()), vcpus, memory, image, spec.workloadOf(i), peers, random.split(),
          spec.day()));
    }
    modelledHosts = hosts.size();
    modelledVms = vms.size();
    moveEveryMillis = spec.moveEvery().toMillis();
    if (spec.labVms() > 0) {
      addLabVms(spec, random);
    }
  }

  /** One of each workload in turn, each in a KVM VM of 1 MiB: the most a lab VM's real-mode program reaches. */
  private void addLabVms(FleetSpec spec, SplittableRandom random) {
    SimulatedHost lab = new SimulatedHost(LAB_HOST, 4, 16 * GIB);
    hosts.add(lab);
    try {
      for (int i = 0; i < spec.labVms(); i++) {
        Workload workload = Workload.values()[i % Workload.values().length];
        GuestMemory memory = new LabMemory(KvmLabVm.create(KvmLabVm.MAX_PAGES));
        vms.add(new SimulatedVm(String.format("%s-%02d", LAB_HOST, i + 1), lab, 1, memory, MemoryImage.own(), workload, List.of(),
            random.split(), spec.day()));
      }
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("Lab VMs need read-write /dev/kvm: " + e.getMessage(), e);
    }
  }

  /** The fleet's hosts and VMs, for the compacted inventory topic. */
  public List<Sample<?>> inventory(Instant at) {
    List<Sample<?>> out = new ArrayList<>();
    for (SimulatedHost host : hosts) {
      out.add(new Sample<>(Topics.INVENTORY, InventoryKeys.host(host.hostId()), new InventoryRecord(at, host.inventory()), at));
    }
    for (SimulatedVm vm : vms) {
      out.add(new Sample<>(Topics.INVENTORY, InventoryKeys.vm(vm.vmId()), new InventoryRecord(at, vm.inventory()), at));
    }
    return out;
  }

  /** Every signal of every VM for the interval [start, end). */
  public List<Sample<?>> tick(Instant start, Instant end) {
    double seconds = (end.toEpochMilli() - start.toEpochMilli()) / 1000.0;
    Map<SimulatedHost, Double> demandedCores = new HashMap<>();
    for (SimulatedVm vm : vms) {
      demandedCores.merge(vm.host(), vm.advance(start, seconds), Double::sum);
    }
    List<Sample<?>> out = new ArrayList<>();
    for (SimulatedVm vm : vms) {
      vm.emit(start, end, demandedCores.get(vm.host()) / vm.host().cores(), out);
    }
    sinceMoveMillis += end.toEpochMilli() - start.toEpochMilli();
    if (moveEveryMillis > 0 && modelledHosts > 1 && sinceMoveMillis >= moveEveryMillis) {
      sinceMoveMillis = 0;
      out.add(move(end));
    }
    return out;
  }

  /** The next live migration: a VM goes to the next host, and at the move after, back home. */
  private Sample<?> move(Instant at) {
    SimulatedVm vm = vms.get(moves / 2 % modelledVms);
    if (moves % 2 == 0) {
      home = vm.host();
      vm.moveTo(hosts.get((hosts.indexOf(home) + 1) % modelledHosts));
    } else {
      vm.moveTo(home);
    }
    moves++;
    return new Sample<>(Topics.INVENTORY, InventoryKeys.vm(vm.vmId()), new InventoryRecord(at, vm.inventory()), at);
  }

  /** Live migrations so far. */
  public int moves() {
    return moves;
  }

  /** The ids of the VMs running {@code workload}. */
  public List<String> vmsRunning(Workload workload) {
    return vms.stream().filter(vm -> vm.workload() == workload).map(SimulatedVm::vmId).toList();
  }

  public int vmCount() {
    return vms.size();
  }

  public int hostCount() {
    return hosts.size();
  }

  /** Lets the lab VMs go; the fleet is not ticked after this. */
  @Override
  public void close() {
    vms.forEach(vm -> vm.memory().close());
  }
}
