package io.reshape.jobs.footprints;

import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import io.reshape.jobs.kafka.RecordCheck;
import java.time.Duration;

/** What a traffic sample must satisfy beyond its schema. */
public final class TrafficSampleCheck implements RecordCheck<TrafficSample> {

  private static final long serialVersionUID = 1L;
  /** 400 Gbit/s, more than any virtual NIC moves: more than this is a counter that reset or wrapped. */
  static final double MAX_BYTES_PER_SECOND = 50e9;

  @Override
  public String problem(TrafficSample s, long recordTimestamp) {
    long intervalNs = Duration.between(s.getIntervalStart(), s.getIntervalEnd()).toNanos();
    if (intervalNs <= 0) {
      return "Interval ends (" + s.getIntervalEnd() + ") at or before its start (" + s.getIntervalStart() + ")";
    }
    if (s.getIntervalEnd().toEpochMilli() != recordTimestamp) {
      return "Record timestamp " + recordTimestamp + " ms is not the sample's intervalEnd "
          + s.getIntervalEnd().toEpochMilli() + " ms; collectors stamp records with their event time";
    }
    if (s.getSrcVmId().isBlank()) {
      return "Blank srcVmId";
    }
    if (s.getScope() == TrafficScope.UNKNOWN) {
      return "A traffic scope this job does not know (written with a newer schema): what the counts cover is unknown";
    }
    String destination = s.getScope() == TrafficScope.NIC ? nicDestinationProblem(s) : flowDestinationProblem(s);
    return destination != null ? destination : countProblem(s, intervalNs);
  }

  private static String nicDestinationProblem(TrafficSample s) {
    if (s.getDstVmId() != null || s.getDstEndpoint() != null) {
      return "NIC sample names a destination (dstVmId " + s.getDstVmId() + ", dstEndpoint " + s.getDstEndpoint()
          + "); NIC counts cover all destinations";
    }
    return null;
  }

  private static String flowDestinationProblem(TrafficSample s) {
    String vm = s.getDstVmId();
    String endpoint = s.getDstEndpoint();
    if ((vm == null) == (endpoint == null)) {
      return vm == null ? "FLOW sample names no destination: dstVmId and dstEndpoint are both null"
          : "FLOW sample names two destinations: dstVmId " + vm + " and dstEndpoint " + endpoint;
    }
    if ((vm != null && vm.isBlank()) || (endpoint != null && endpoint.isBlank())) {
      return "FLOW sample names a blank destination";
    }
    if (s.getSrcVmId().equals(vm)) {
      return "FLOW sample from VM " + vm + " to itself";
    }
    return null;
  }

  private static String countProblem(TrafficSample s, long intervalNs) {
    long bytes = s.getBytes();
    long packets = s.getPackets();
    if (bytes < 0 || packets < 0) {
      return "Negative count: " + bytes + " bytes in " + packets + " packets";
    }
    if (bytes > 0 && packets == 0) {
      return bytes + " bytes in no packets";
    }
    double bytesPerSecond = bytes / (intervalNs / 1e9);
    if (bytesPerSecond > MAX_BYTES_PER_SECOND) {
      return bytes + " bytes in " + intervalNs + " ns is " + bytesPerSecond
          + " bytes per second, more than any link carries: a counter that reset or wrapped?";
    }
    return null;
  }
}
