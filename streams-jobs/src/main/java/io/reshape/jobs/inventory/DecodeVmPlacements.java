package io.reshape.jobs.inventory;

import io.reshape.events.VmInventory;
import java.util.Map;

/** Reads the inventory into VM placements: where each VM runs and how big it is, or that it is gone. */
public class DecodeVmPlacements extends DecodeVmInventory<VmPlacement> {

  private static final long serialVersionUID = 1L;

  public DecodeVmPlacements(Map<String, String> registryConfig, String stage) {
    super(registryConfig, stage);
  }

  @Override
  protected VmPlacement present(VmInventory vm) {
    return VmPlacement.present(vm.getVmId(), vm.getHostId(), vm.getMemoryBytes());
  }

  @Override
  protected VmPlacement gone(String vmId, long at) {
    return VmPlacement.gone(vmId);
  }
}
