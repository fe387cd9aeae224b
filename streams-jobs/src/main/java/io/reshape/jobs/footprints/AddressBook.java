package io.reshape.jobs.footprints;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which VM an address belongs to, from the inventory. An address claimed by two VMs at once (the
 * same private address in two separate networks) belongs to neither: guessing would invent traffic
 * between VMs that never talked.
 */
public final class AddressBook {

  private final Map<String, VmAddresses> vms = new HashMap<>();
  private final Map<String, List<VmAddresses>> owners = new HashMap<>();

  /** Records {@code vm}'s addresses and host, replacing what was known of it. */
  public void put(VmAddresses vm) {
    remove(vm.vmId);
    vms.put(vm.vmId, vm);
    for (String address : vm.addresses) {
      List<VmAddresses> claims = owners.computeIfAbsent(address, a -> new ArrayList<>(1));
      if (!claims.contains(vm)) {
        claims.add(vm);
      }
    }
  }

  public void remove(String vmId) {
    VmAddresses old = vms.remove(vmId);
    if (old == null) {
      return;
    }
    for (String address : old.addresses) {
      List<VmAddresses> claims = owners.get(address);
      claims.remove(old);
      if (claims.isEmpty()) {
        owners.remove(address);
      }
    }
  }

  /** The one VM with the address of {@code endpoint} (an address, or address:port); null when none or several. */
  public VmAddresses ownerOf(String endpoint) {
    List<VmAddresses> claims = owners.get(addressOf(endpoint));
    return claims != null && claims.size() == 1 ? claims.get(0) : null;
  }

  /** The address part of an endpoint: {@code 10.0.0.5:443} and {@code [fe80::1]:443} name an address and a port. */
  static String addressOf(String endpoint) {
    if (endpoint.startsWith("[")) {
      int close = endpoint.indexOf(']');
      return close < 0 ? endpoint : endpoint.substring(1, close);
    }
    int colon = endpoint.indexOf(':');
    boolean oneColon = colon >= 0 && colon == endpoint.lastIndexOf(':');
    return oneColon ? endpoint.substring(0, colon) : endpoint;
  }
}
