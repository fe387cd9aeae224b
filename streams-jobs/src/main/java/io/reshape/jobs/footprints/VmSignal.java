package io.reshape.jobs.footprints;

import io.reshape.events.QuantumSample;
import io.reshape.events.TrafficSample;
import io.reshape.events.WindowedWrites;
import io.reshape.events.WrittenSet;
import io.reshape.schemas.Micros;

/**
 * One thing observed about one VM that its footprint takes in: traffic it sent or received, its
 * vCPUs' run time, or its written set. The traffic, quanta and written-set streams are turned into
 * these so that one operator keyed by VM sees them all. A Flink POJO (public fields).
 */
public class VmSignal {

  /** What the signal says. */
  public enum Kind {
    /** Bytes the VM sent to the VM {@link #peer}. */
    SENT_TO_VM,
    /** Bytes the VM sent to {@link #peer}, an address that is no known VM. */
    SENT_TO_ENDPOINT,
    /** Bytes the VM {@link #peer} sent to this VM. */
    RECEIVED_FROM_VM,
    /** Bytes the VM's network interfaces sent to anyone, as IP bytes. */
    SENT_IN_TOTAL,
    /** Nanoseconds one vCPU ran. */
    CPU,
    /** A written set: its size and the dirty rate. */
    WRITES
  }

  /** Tap counters count Ethernet frames (without the frame check sequence); flows count IP packets. */
  static final int ETHERNET_HEADER_BYTES = 14;

  public String vmId;
  public String hostId;
  public Kind kind;
  /** The other VM's id or the endpoint address, for traffic with one peer; null otherwise. */
  public String peer;
  public long startMicros;
  public long endMicros;
  /** Bytes for traffic, run nanoseconds for CPU. */
  public double amount;
  /** Pages written per second over the interval, for WRITES. */
  public double dirtyPagesPerSecond;
  /** Written-set size in pages, for WRITES. */
  public long writtenSetPages;

  public VmSignal() {}

  private static VmSignal of(String vmId, String hostId, Kind kind, String peer, long startMicros, long endMicros,
      double amount) {
    VmSignal signal = new VmSignal();
    signal.vmId = vmId;
    signal.hostId = hostId;
    signal.kind = kind;
    signal.peer = peer;
    signal.startMicros = startMicros;
    signal.endMicros = endMicros;
    signal.amount = amount;
    return signal;
  }

  /** A NIC sample: its frames less their Ethernet headers, so that it compares with flows. */
  public static VmSignal sentInTotal(TrafficSample nic) {
    double ipBytes = Math.max(0, nic.getBytes() - ETHERNET_HEADER_BYTES * nic.getPackets());
    return of(nic.getSrcVmId(), nic.getHostId(), Kind.SENT_IN_TOTAL, null, Micros.of(nic.getIntervalStart()),
        Micros.of(nic.getIntervalEnd()), ipBytes);
  }

  /** A FLOW sample as its sender sees it: to the VM {@code peer}, or to the endpoint {@code peer} when not {@code toVm}. */
  public static VmSignal sent(TrafficSample flow, String peer, boolean toVm) {
    return of(flow.getSrcVmId(), flow.getHostId(), toVm ? Kind.SENT_TO_VM : Kind.SENT_TO_ENDPOINT, peer,
        Micros.of(flow.getIntervalStart()), Micros.of(flow.getIntervalEnd()), flow.getBytes());
  }

  /** A FLOW sample between two VMs as its receiver {@code vmId}, on {@code hostId}, sees it. */
  public static VmSignal received(TrafficSample flow, String vmId, String hostId) {
    return of(vmId, hostId, Kind.RECEIVED_FROM_VM, flow.getSrcVmId(), Micros.of(flow.getIntervalStart()),
        Micros.of(flow.getIntervalEnd()), flow.getBytes());
  }

  public static VmSignal cpu(QuantumSample quantum) {
    return of(quantum.getVmId(), quantum.getHostId(), Kind.CPU, null, Micros.of(quantum.getIntervalStart()),
        Micros.of(quantum.getIntervalEnd()), quantum.getRunNs());
  }

  /**
   * A written set. Its dirty rate is that of the interval before it, whose start the record does not
   * give: the signal covers at most its shortest window, and {@link FootprintAccumulator} starts it
   * no earlier than the previous written set. Its size is that of the longest window seen whole, or
   * of the shortest when none was (an upper bound then).
   */
  public static VmSignal writes(WrittenSet set) {
    long end = Micros.of(set.getComputedAt());
    WindowedWrites shortest = set.getWindows().get(0);
    VmSignal signal = of(set.getVmId(), set.getHostId(), Kind.WRITES, null, end - shortest.getWindowSeconds() * 1_000_000L,
        end, 0);
    signal.dirtyPagesPerSecond = set.getDirtyPagesPerSecond();
    signal.writtenSetPages = shortest.getWrittenPages();
    for (WindowedWrites window : set.getWindows()) {
      if (window.getComplete()) {
        signal.writtenSetPages = window.getWrittenPages();
      }
    }
    return signal;
  }
}
