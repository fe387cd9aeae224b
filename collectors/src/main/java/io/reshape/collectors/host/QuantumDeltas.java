package io.reshape.collectors.host;

import io.reshape.events.QuantumSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns two readings of a VM's vCPU totals into per-interval samples. A counter that went down was
 * reset during the interval: what it counts now is what it counted since the reset, the most that
 * can be said. A vCPU whose thread changed, or that appeared, starts a new series and yields
 * nothing until its next reading.
 */
public final class QuantumDeltas {

  private QuantumDeltas() {}

  public static List<QuantumSample> between(String vmId, String hostId, Map<Integer, VcpuCounters> before,
      Map<Integer, VcpuCounters> now) {
    List<QuantumSample> samples = new ArrayList<>();
    for (VcpuCounters current : now.values()) {
      VcpuCounters previous = before.get(current.vcpu());
      if (previous == null || previous.threadId() != current.threadId() || !current.at().isAfter(previous.at())) {
        continue;
      }
      samples.add(QuantumSample.newBuilder()
          .setVmId(vmId)
          .setHostId(hostId)
          .setVcpu(current.vcpu())
          .setIntervalStart(previous.at())
          .setIntervalEnd(current.at())
          .setRunNs(increase(previous.thread().runNs(), current.thread().runNs()))
          .setRunqueueWaitNs(increase(previous.thread().runqueueWaitNs(), current.thread().runqueueWaitNs()))
          .setHaltNs(increase(previous.haltNs(), current.haltNs()))
          .setHaltExits(increase(previous.haltExits(), current.haltExits()))
          .setVoluntarySwitches(increase(previous.thread().voluntarySwitches(), current.thread().voluntarySwitches()))
          .setInvoluntarySwitches(increase(previous.thread().involuntarySwitches(), current.thread().involuntarySwitches()))
          .build());
    }
    samples.sort((a, b) -> Integer.compare(a.getVcpu(), b.getVcpu()));
    return samples;
  }

  static long increase(long before, long now) {
    return now >= before ? now - before : now;
  }

  private static Long increase(Long before, Long now) {
    return before == null || now == null ? null : increase(before.longValue(), now.longValue());
  }
}
