package io.reshape.host;

import java.util.Optional;

/**
 * A QEMU process found on this host.
 *
 * @param vmId its UUID, else its name, else {@code qemu-<pid>}
 */
public record DiscoveredVm(String vmId, long pid, QemuCommandLine commandLine) {

  /** The VM as the sources read it; empty when it has no QMP socket to read through. */
  public Optional<QemuVm> monitored() {
    return commandLine.qmpSocket().map(socket -> new QemuVm(vmId, pid, socket));
  }
}
