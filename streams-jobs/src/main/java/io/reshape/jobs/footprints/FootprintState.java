package io.reshape.jobs.footprints;

import java.util.HashMap;
import java.util.Map;

/**
 * What is remembered of one VM to compute its footprint; see {@link FootprintAccumulator}. A Flink
 * POJO (public fields; the peer map is declared as a {@code Map} so Flink serializes it without Kryo).
 */
public class FootprintState {

  /** Host named by the newest signal. */
  public String hostId;

  /** Traffic in either direction, for the warm-up of every traffic average. */
  public ObservedSpan traffic = new ObservedSpan();
  /** What the VM's network interfaces sent, in IP bytes. */
  public DecayingRate sentInTotal = new DecayingRate();
  /** What it sent to VMs of the fleet. */
  public DecayingRate sentToVms = new DecayingRate();
  /** What it sent to addresses that are no known VM. */
  public DecayingRate sentToEndpoints = new DecayingRate();
  /** Traffic to and from each peer: VM id or endpoint address. */
  public Map<String, PeerRate> peers = new HashMap<>();

  public ObservedSpan cpu = new ObservedSpan();
  /** Run time of all vCPUs, seconds per second: host cores. */
  public DecayingRate cpuCores = new DecayingRate();

  public ObservedSpan writes = new ObservedSpan();
  public DecayingRate dirtyPages = new DecayingRate();
  /** Written-set size from the newest written set, pages. */
  public long writtenSetPages;

  /** Event time of the pending emission, milliseconds; 0 when none is pending. */
  public long nextEmissionMillis;

  public FootprintState() {}

  /** End of the newest signal of any kind, microseconds; 0 before the first. */
  public long latestMicros() {
    return Math.max(traffic.untilMicros, Math.max(cpu.untilMicros, writes.untilMicros));
  }
}
