package io.reshape.jobs.idleness;

import io.reshape.events.QuantumSample;
import io.reshape.schemas.Micros;

/**
 * The quanta of all vCPUs of one VM over one interval, summed. A Flink POJO (public fields).
 */
public class VmInterval {

  public String vmId;
  public String hostId;
  public long startMicros;
  public long endMicros;
  public int vcpus;
  public long runNs;
  public long runqueueWaitNs;
  /** Sum of halt time, meaningful only when {@link #haltKnown}. */
  public long haltNs;
  /** Whether every vCPU's sample measured halts. */
  public boolean haltKnown;
  public long voluntarySwitches;
  public long involuntarySwitches;

  public VmInterval() {}

  public static VmInterval of(QuantumSample sample) {
    VmInterval interval = new VmInterval();
    interval.vmId = sample.getVmId();
    interval.hostId = sample.getHostId();
    interval.startMicros = Micros.of(sample.getIntervalStart());
    interval.endMicros = Micros.of(sample.getIntervalEnd());
    interval.haltKnown = true;
    interval.add(sample);
    return interval;
  }

  public void add(QuantumSample sample) {
    vcpus++;
    runNs += sample.getRunNs();
    runqueueWaitNs += sample.getRunqueueWaitNs();
    haltKnown &= sample.getHaltNs() != null;
    haltNs += sample.getHaltNs() == null ? 0 : sample.getHaltNs();
    voluntarySwitches += sample.getVoluntarySwitches();
    involuntarySwitches += sample.getInvoluntarySwitches();
  }

  private long capacityNs() {
    return (endMicros - startMicros) * 1000 * vcpus;
  }

  /** Run time over wall time, averaged over the vCPUs. */
  public double utilisation() {
    return (double) runNs / capacityNs();
  }

  /** Halted time over wall time, averaged over the vCPUs; null when halts were not measured. */
  public Double haltShare() {
    return haltKnown ? (double) haltNs / capacityNs() : null;
  }

  /** Voluntary over all context switches; null when there were none. */
  public Double earlyYieldShare() {
    long switches = voluntarySwitches + involuntarySwitches;
    return switches == 0 ? null : (double) voluntarySwitches / switches;
  }

}
