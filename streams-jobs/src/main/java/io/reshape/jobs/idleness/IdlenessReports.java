package io.reshape.jobs.idleness;

import io.reshape.events.IdlenessPrediction;
import io.reshape.jobs.idleness.IdlenessTracker.Change;
import io.reshape.schemas.Micros;
import java.time.Instant;

/** What the idleness job publishes when a VM's state changes; the offline evaluator publishes the same. */
public final class IdlenessReports {

  private IdlenessReports() {}

  /** The record of a change of state, observed at the end of the interval that completed it. */
  public static IdlenessPrediction of(VmInterval interval, Change change) {
    Instant observedAt = Micros.instant(interval.endMicros);
    IdlenessPrediction.Builder report = IdlenessPrediction.newBuilder()
        .setVmId(interval.vmId)
        .setHostId(interval.hostId)
        .setObservedAt(observedAt)
        .setState(change.state())
        .setStateSince(Micros.instant(change.sinceMicros()))
        .setUtilisation(interval.utilisation())
        .setHaltShare(interval.haltShare())
        .setEarlyYieldShare(interval.earlyYieldShare());
    change.prediction().ifPresent(p -> report
        .setPredictedIdleMillis(p.remainingMillis())
        .setPredictedWakeAt(observedAt.plusMillis(p.remainingMillis()))
        .setConfidence(p.confidence()));
    return report.build();
  }
}
