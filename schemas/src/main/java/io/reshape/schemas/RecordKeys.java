package io.reshape.schemas;

import io.reshape.events.Actuation;
import io.reshape.events.Affinity;
import io.reshape.events.Decision;
import io.reshape.events.SharingEstimate;

/** Keys of the topics whose key depends on the value, as the catalogue declares them. */
public final class RecordKeys {

  private RecordKeys() {}

  /** VM id, or host id for host-wide actions. */
  public static String of(Decision decision) {
    return decision.getVmId() != null ? decision.getVmId() : decision.getHostId();
  }

  /** VM id, or host id for host-wide actions. */
  public static String of(Actuation actuation) {
    return actuation.getVmId() != null ? actuation.getVmId() : actuation.getHostId();
  }

  /** The pair 'vmA|vmB', vmA sorting first. */
  public static String of(Affinity affinity) {
    return pair(affinity.getVmA(), affinity.getVmB());
  }

  /** The pair 'vmA|vmB', vmA sorting first. */
  public static String of(SharingEstimate estimate) {
    return pair(estimate.getVmA(), estimate.getVmB());
  }

  /** The key of a pair of VMs, given in their order: 'vmA|vmB'. */
  public static String pair(String vmA, String vmB) {
    return vmA + "|" + vmB;
  }
}
