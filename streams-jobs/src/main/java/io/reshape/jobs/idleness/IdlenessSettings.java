package io.reshape.jobs.idleness;

import io.reshape.jobs.kafka.EventTime;
import java.io.Serializable;

/**
 * How the idleness job judges VMs.
 *
 * @param idleUtilisation an interval is idle-like when the VM's vCPUs ran at most this share of it
 * @param minHaltShare ...and, where the host measures halts, spent at least this share halted
 * @param enterIdleAfter consecutive idle-like intervals before a VM counts as IDLE
 * @param leaveIdleAfter consecutive busy intervals before an IDLE VM counts as ACTIVE again
 * @param eventTime how its inputs give event time
 */
public record IdlenessSettings(
    double idleUtilisation,
    double minHaltShare,
    int enterIdleAfter,
    int leaveIdleAfter,
    EventTime eventTime) implements Serializable {

  public IdlenessSettings {
    if (idleUtilisation <= 0 || idleUtilisation >= 1 || minHaltShare < 0 || minHaltShare > 1) {
      throw new IllegalArgumentException("idleUtilisation must be in (0, 1) and minHaltShare in [0, 1]");
    }
    if (enterIdleAfter < 1 || leaveIdleAfter < 1) {
      throw new IllegalArgumentException("enterIdleAfter and leaveIdleAfter must be at least 1");
    }
  }

  /** 5% CPU and half the time halted, for 3 intervals. */
  public static IdlenessSettings defaults() {
    return new IdlenessSettings(0.05, 0.5, 3, 1, EventTime.defaults());
  }

  /** Whether an interval looks idle: little run time and, where known, mostly halted. */
  public boolean idleLike(VmInterval interval) {
    Double halt = interval.haltShare();
    return interval.utilisation() <= idleUtilisation && (halt == null || halt >= minHaltShare);
  }

  public IdlenessSettings withEventTime(EventTime eventTime) {
    return new IdlenessSettings(idleUtilisation, minHaltShare, enterIdleAfter, leaveIdleAfter, eventTime);
  }
}
