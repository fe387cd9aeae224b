package io.reshape.jobs.inventory;

/** Where a VM runs and how big it is, from the inventory; a Flink POJO. */
public class VmPlacement {

  public String vmId;
  public String hostId;
  public long memoryBytes;
  /** False when the VM left the inventory (a tombstone). */
  public boolean present;

  public VmPlacement() {}

  public static VmPlacement present(String vmId, String hostId, long memoryBytes) {
    VmPlacement placement = new VmPlacement();
    placement.vmId = vmId;
    placement.hostId = hostId;
    placement.memoryBytes = memoryBytes;
    placement.present = true;
    return placement;
  }

  public static VmPlacement gone(String vmId) {
    VmPlacement placement = new VmPlacement();
    placement.vmId = vmId;
    return placement;
  }
}
