package io.reshape.host;

import java.nio.file.Path;

/**
 * A QEMU process on this host, as the collector knows it.
 *
 * @param vmId the VM's id (its {@code -name}, or its {@code -uuid})
 * @param pid the QEMU process
 * @param qmpSocket its QMP monitor socket
 */
public record QemuVm(String vmId, long pid, Path qmpSocket) {}
