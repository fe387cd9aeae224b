package io.reshape.jobs.idleness;

import io.reshape.events.QuantumSample;
import io.reshape.jobs.kafka.RecordCheck;
import java.time.Duration;

/** What a quantum sample must satisfy beyond its schema. */
public final class QuantumSampleCheck implements RecordCheck<QuantumSample> {

  private static final long serialVersionUID = 1L;
  /** Slack for the clocks of a thread's CPU time and the wall clock not ticking together. */
  private static final double CLOCK_SLACK = 1.05;

  @Override
  public String problem(QuantumSample s, long recordTimestamp) {
    long intervalNs = Duration.between(s.getIntervalStart(), s.getIntervalEnd()).toNanos();
    if (intervalNs <= 0) {
      return "Interval ends (" + s.getIntervalEnd() + ") before it starts (" + s.getIntervalStart() + ")";
    }
    if (s.getIntervalEnd().toEpochMilli() != recordTimestamp) {
      return "Record timestamp " + recordTimestamp + " ms is not the sample's intervalEnd "
          + s.getIntervalEnd().toEpochMilli() + " ms; collectors stamp records with their event time";
    }
    if (s.getVcpu() < 0) {
      return "Negative vCPU index " + s.getVcpu();
    }
    String negative = firstNegative(s);
    if (negative != null) {
      return negative;
    }
    if (s.getRunNs() > intervalNs * CLOCK_SLACK) {
      return "vCPU ran " + s.getRunNs() + " ns in an interval of " + intervalNs + " ns";
    }
    return null;
  }

  private static String firstNegative(QuantumSample s) {
    if (s.getRunNs() < 0) {
      return "Negative runNs " + s.getRunNs();
    }
    if (s.getRunqueueWaitNs() < 0) {
      return "Negative runqueueWaitNs " + s.getRunqueueWaitNs();
    }
    if (s.getHaltNs() != null && s.getHaltNs() < 0) {
      return "Negative haltNs " + s.getHaltNs();
    }
    if (s.getHaltExits() != null && s.getHaltExits() < 0) {
      return "Negative haltExits " + s.getHaltExits();
    }
    if (s.getVoluntarySwitches() < 0 || s.getInvoluntarySwitches() < 0) {
      return "Negative context-switch count " + s.getVoluntarySwitches() + "/" + s.getInvoluntarySwitches();
    }
    return null;
  }
}
