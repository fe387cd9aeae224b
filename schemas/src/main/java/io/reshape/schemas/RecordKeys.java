package io.reshape.schemas;

import io.reshape.events.Actuation;
import io.reshape.events.Affinity;
import io.reshape.events.Decision;

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
    return affinity.getVmA() + "|" + affinity.getVmB();
  }
}
