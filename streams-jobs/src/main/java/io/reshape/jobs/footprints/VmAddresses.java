package io.reshape.jobs.footprints;

import java.util.ArrayList;
import java.util.List;

/** A VM's IPv4 addresses and host, from the inventory, or word that it is gone. A Flink POJO. */
public class VmAddresses {

  public String vmId;
  public String hostId;
  public List<String> addresses = new ArrayList<>();
  /** False when the VM left the inventory (a tombstone). */
  public boolean present;

  public VmAddresses() {}

  public static VmAddresses present(String vmId, String hostId, List<String> addresses) {
    VmAddresses vm = new VmAddresses();
    vm.vmId = vmId;
    vm.hostId = hostId;
    vm.addresses = new ArrayList<>(addresses);
    vm.present = true;
    return vm;
  }

  public static VmAddresses gone(String vmId) {
    VmAddresses vm = new VmAddresses();
    vm.vmId = vmId;
    return vm;
  }
}
