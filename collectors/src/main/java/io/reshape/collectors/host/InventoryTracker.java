package io.reshape.collectors.host;

import io.reshape.collectors.Sample;
import io.reshape.events.HostInventory;
import io.reshape.events.InventoryRecord;
import io.reshape.events.VmInventory;
import io.reshape.events.VmNic;
import io.reshape.events.VmState;
import io.reshape.host.DiscoveredVm;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what a host has now into inventory changes: a record for a host or VM that is new or
 * changed, a tombstone for a VM that is gone, nothing for what stayed the same.
 */
public final class InventoryTracker {

  private final String hostId;
  private HostInventory host;
  private final Map<String, VmInventory> vms = new HashMap<>();

  public InventoryTracker(String hostId) {
    this.hostId = hostId;
  }

  /**
   * The changes since the previous update.
   *
   * @param nics each VM's network cards, by VM id (see {@link TrafficSource#nics})
   */
  public List<Sample<?>> update(HostInventory hostNow, List<DiscoveredVm> vmsNow, Map<String, List<VmNic>> nics, Instant at) {
    List<Sample<?>> changes = new ArrayList<>();
    if (!hostNow.equals(host)) {
      host = hostNow;
      changes.add(new Sample<>(Topics.INVENTORY, InventoryKeys.host(hostId), new InventoryRecord(at, hostNow), at));
    }
    Map<String, VmInventory> seen = new HashMap<>();
    for (DiscoveredVm vm : vmsNow) {
      VmInventory record = VmInventory.newBuilder()
          .setVmId(vm.vmId())
          .setHostId(hostId)
          .setVcpus(vm.commandLine().vcpus())
          .setMemoryBytes(vm.commandLine().memoryBytes())
          .setState(VmState.RUNNING)
          .setPinned(false)
          .setNics(nics.getOrDefault(vm.vmId(), List.of()))
          .setLabels(Map.of("qemuPid", Long.toString(vm.pid())))
          .build();
      seen.put(vm.vmId(), record);
      if (!record.equals(vms.get(vm.vmId()))) {
        changes.add(new Sample<>(Topics.INVENTORY, InventoryKeys.vm(vm.vmId()), new InventoryRecord(at, record), at));
      }
    }
    for (String gone : vms.keySet()) {
      if (!seen.containsKey(gone)) {
        changes.add(new Sample<InventoryRecord>(Topics.INVENTORY, InventoryKeys.vm(gone), null, at));
      }
    }
    vms.clear();
    vms.putAll(seen);
    return changes;
  }
}
