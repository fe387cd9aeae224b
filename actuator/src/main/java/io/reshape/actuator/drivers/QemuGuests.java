package io.reshape.actuator.drivers;

import io.reshape.host.DiscoveredVm;
import io.reshape.host.ProcFs;
import io.reshape.host.QemuDiscovery;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Finds the QEMU process of a VM id on this host, the way the collector names its VMs. */
public final class QemuGuests {

  private final QemuDiscovery discovery;

  public QemuGuests(ProcFs proc) {
    this.discovery = new QemuDiscovery(proc);
  }

  /** The running QEMU process whose VM is {@code vmId}; empty when there is none on this host. */
  public Optional<DiscoveredVm> find(String vmId) throws IOException {
    return all(vmId).stream().findFirst();
  }

  /**
   * Every QEMU process of VM {@code vmId} here: during a migration on one host, the one sending it
   * and the one receiving it.
   */
  public List<DiscoveredVm> all(String vmId) throws IOException {
    return discovery.scan().stream().filter(vm -> vm.vmId().equals(vmId)).toList();
  }
}
