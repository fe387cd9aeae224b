package io.reshape.collectors.sim;

import io.reshape.collectors.Sample;
import io.reshape.events.InventoryRecord;
import io.reshape.host.lab.KvmLabVm;
import io.reshape.host.lab.LabVms;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The workloads of the lab VMs a host agent runs ({@link LabVms}), as the simulated fleet runs its
 * own: each interval every lab VM running here writes the pages its workload chooses, through its
 * vCPU under KVM, and its signals are published, the dirty pages from KVM's log. A VM that arrives
 * is announced and run; one that left is let go here (its image stays with {@link LabVms}), and
 * the host it went to announces it.
 */
public final class LabGuests {

  private static final long GIB = 1L << 30;
  private static final Duration DAY = Duration.ofDays(1);

  private final LabVms vms;
  private final SimulatedHost host;
  private final Map<String, SimulatedVm> guests = new HashMap<>();

  /** @param cores the host's cores, which the lab VMs' load is counted against */
  public LabGuests(String hostId, int cores, LabVms vms) {
    this.vms = vms;
    this.host = new SimulatedHost(hostId, cores, 16 * GIB);
  }

  /** The signals of [start, end) of every lab VM running here, after the inventory of those new here. */
  public List<Sample<?>> tick(Instant start, Instant end) {
    Map<String, KvmLabVm> running = vms.running();
    List<Sample<?>> out = new ArrayList<>();
    guests.keySet().retainAll(running.keySet());
    running.forEach((vmId, vm) -> {
      if (!guests.containsKey(vmId)) {
        SimulatedVm guest = guest(vmId, vm);
        guests.put(vmId, guest);
        out.add(new Sample<>(Topics.INVENTORY, InventoryKeys.vm(vmId), new InventoryRecord(start, guest.inventory()), start));
      }
    });
    double seconds = (end.toEpochMilli() - start.toEpochMilli()) / 1000.0;
    double demandedCores = guests.values().stream().mapToDouble(guest -> guest.advance(start, seconds)).sum();
    guests.values().forEach(guest -> guest.emit(start, end, demandedCores / host.cores(), out));
    return out;
  }

  /** A lab VM's workload follows its id, so it stays the same kind of VM wherever it runs. */
  private SimulatedVm guest(String vmId, KvmLabVm vm) {
    Workload workload = Workload.values()[Math.floorMod(vmId.hashCode(), Workload.values().length)];
    return new SimulatedVm(vmId, host, 1, new LabMemory(vm), MemoryImage.own(), workload, List.of(),
        new SplittableRandom(vmId.hashCode()), DAY);
  }
}
