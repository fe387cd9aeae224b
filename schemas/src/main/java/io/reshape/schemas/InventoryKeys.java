package io.reshape.schemas;

import java.util.Optional;

/**
 * Keys of the compacted inventory topic. Hosts and VMs share the topic, so each key says which
 * kind of entity it names; a host and a VM with the same id never overwrite each other.
 */
public final class InventoryKeys {

  static final String DESCRIPTION = "'host:' + host id, or 'vm:' + VM id";
  private static final String HOST = "host:";
  private static final String VM = "vm:";

  private InventoryKeys() {}

  public static String host(String hostId) {
    return HOST + hostId;
  }

  public static String vm(String vmId) {
    return VM + vmId;
  }

  /** The host id of a host key; empty for a VM key or a key of neither form. */
  public static Optional<String> hostIdOf(String key) {
    return key != null && key.startsWith(HOST) ? Optional.of(key.substring(HOST.length())) : Optional.empty();
  }

  /** The VM id of a VM key; empty for a host key or a key of neither form. */
  public static Optional<String> vmIdOf(String key) {
    return key != null && key.startsWith(VM) ? Optional.of(key.substring(VM.length())) : Optional.empty();
  }
}
