package io.reshape.host.lab;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The lab VMs one host agent runs, and the images it kept of those that left: the collector runs
 * their workloads and publishes what KVM saw, the executor pages and migrates them. A VM that
 * migrates away stays here as a kept image, not running, so that its return sends only what it
 * wrote meanwhile; a VM that returns runs on in that image.
 */
public final class LabVms implements AutoCloseable {

  private final Map<String, KvmLabVm> running = new TreeMap<>();
  private final Map<String, KvmLabVm> kept = new TreeMap<>();

  /** Starts VM {@code vmId} here, with {@code pages} pages of memory. */
  public synchronized KvmLabVm start(String vmId, int pages) {
    if (running.containsKey(vmId)) {
      throw new IllegalStateException("Lab VM " + vmId + " runs here already");
    }
    KvmLabVm vm = KvmLabVm.create(pages);
    running.put(vmId, vm);
    return vm;
  }

  /** The lab VMs running here now, by id. */
  public synchronized Map<String, KvmLabVm> running() {
    return Map.copyOf(running);
  }

  public synchronized Optional<KvmLabVm> running(String vmId) {
    return Optional.ofNullable(running.get(vmId));
  }

  /** The image this host kept of VM {@code vmId} when it last left, if any. */
  public synchronized Optional<KvmLabVm> kept(String vmId) {
    return Optional.ofNullable(kept.get(vmId));
  }

  /** VM {@code vmId} runs elsewhere now: its memory here is kept as an image, and no longer run. */
  public synchronized void left(String vmId) {
    KvmLabVm vm = running.remove(vmId);
    if (vm == null) {
      throw new IllegalStateException("Lab VM " + vmId + " does not run here");
    }
    KvmLabVm older = kept.put(vmId, vm);
    if (older != null) {
      older.close();
    }
  }

  /** VM {@code vmId} arrived in {@code vm} (the kept image, or a new VM) and runs here from now on. */
  public synchronized void arrived(String vmId, KvmLabVm vm) {
    KvmLabVm image = kept.remove(vmId);
    if (image != null && image != vm) {
      image.close();
    }
    running.put(vmId, vm);
  }

  /** Lets every VM and image go. */
  @Override
  public synchronized void close() {
    running.values().forEach(KvmLabVm::close);
    kept.values().forEach(KvmLabVm::close);
    running.clear();
    kept.clear();
  }
}
