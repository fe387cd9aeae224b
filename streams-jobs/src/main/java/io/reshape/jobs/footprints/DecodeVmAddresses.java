package io.reshape.jobs.footprints;

import io.reshape.events.VmInventory;
import io.reshape.events.VmNic;
import io.reshape.jobs.inventory.DecodeVmInventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the inventory into each VM's addresses (those of all its network cards) and host, or that it is gone. */
public class DecodeVmAddresses extends DecodeVmInventory<VmAddresses> {

  private static final long serialVersionUID = 1L;

  public DecodeVmAddresses(Map<String, String> registryConfig, String stage) {
    super(registryConfig, stage);
  }

  @Override
  protected VmAddresses present(VmInventory vm) {
    List<String> addresses = new ArrayList<>();
    for (VmNic nic : vm.getNics()) {
      addresses.addAll(nic.getIpv4());
    }
    return VmAddresses.present(vm.getVmId(), vm.getHostId(), addresses);
  }

  @Override
  protected VmAddresses gone(String vmId, long at) {
    return VmAddresses.gone(vmId);
  }
}
