package io.reshape.jobs.sharing;

import io.reshape.schemas.RecordKeys;

/**
 * Two VMs in the order the sharing topic keys them.
 *
 * @param vmA the VM id that sorts first
 * @param vmB the VM id that sorts second
 */
public record VmPair(String vmA, String vmB) {

  public static VmPair of(String one, String other) {
    return one.compareTo(other) < 0 ? new VmPair(one, other) : new VmPair(other, one);
  }

  /** The record key: vmA + '|' + vmB. */
  public String key() {
    return RecordKeys.pair(vmA, vmB);
  }
}
