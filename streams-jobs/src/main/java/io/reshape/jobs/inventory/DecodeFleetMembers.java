package io.reshape.jobs.inventory;

import io.reshape.events.HostInventory;
import io.reshape.events.VmInventory;
import io.reshape.schemas.InventoryKeys;
import java.util.Map;

/** Reads the inventory into its members: the hosts and VMs records may name. */
public class DecodeFleetMembers extends DecodeVmInventory<FleetMember> {

  private static final long serialVersionUID = 1L;

  public DecodeFleetMembers(Map<String, String> registryConfig, String stage) {
    super(registryConfig, stage);
  }

  @Override
  protected FleetMember present(VmInventory vm) {
    return FleetMember.listed(InventoryKeys.vm(vm.getVmId()));
  }

  @Override
  protected FleetMember gone(String vmId, long at) {
    return FleetMember.left(InventoryKeys.vm(vmId), at);
  }

  @Override
  protected FleetMember presentHost(HostInventory host) {
    return FleetMember.listed(InventoryKeys.host(host.getHostId()));
  }

  @Override
  protected FleetMember goneHost(String hostId, long at) {
    return FleetMember.left(InventoryKeys.host(hostId), at);
  }
}
