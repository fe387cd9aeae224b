package io.reshape.jobs.sharing;

import java.util.Comparator;
import java.util.List;

/**
 * A VM's current page sketch and the host it counts on, or word that the VM is gone. Every update
 * of one VM travels on one channel, so a VM's departure never overtakes its last sketch. A Flink
 * POJO.
 */
public class VmSketch {

  public String vmId;
  public String hostId;
  /** Null when the VM left the inventory. */
  public PageSketch sketch;

  public VmSketch() {}

  public static VmSketch of(String vmId, String hostId, PageSketch sketch) {
    VmSketch update = new VmSketch();
    update.vmId = vmId;
    update.hostId = hostId;
    update.sketch = sketch;
    return update;
  }

  public static VmSketch gone(String vmId) {
    return of(vmId, null, null);
  }

  public boolean gone() {
    return sketch == null;
  }

  /**
   * Updates of one instant in the order of their VM ids, the order they are taken in whatever order
   * they arrived; a stable sort, so two updates of one VM, which come on one channel, keep theirs.
   */
  public static List<VmSketch> inVmOrder(List<VmSketch> updates) {
    updates.sort(Comparator.comparing(update -> update.vmId));
    return updates;
  }
}
