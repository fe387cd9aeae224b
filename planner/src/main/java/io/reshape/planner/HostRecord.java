package io.reshape.planner;

/**
 * What the planner knows of one host, from the inventory, and the mergeable memory the sharing
 * job estimated there. A Flink POJO (public fields), kept per host in the planner's keyed state.
 */
public class HostRecord {

  public String hostId;
  public String cellId;
  public int cores;
  public double coreMips;
  public long memoryBytes;
  public long swapBytes;
  public boolean ksmEnabled;
  public double pricePerHour;
  /** Draw at 0%, 10%, ..., 100% CPU, watts; empty when the inventory does not say. */
  public double[] powerWatts = new double[0];
  /** Physical machine of a nested host, when known: moves between siblings copy nothing. */
  public String physicalMachineId;
  /** Event time of the inventory record, microseconds. */
  public long observedAtMicros;
  /** Memory KSM could free with the VMs the host holds, bytes; -1 when not estimated. */
  public long mergeableBytes = -1;
  /** What the planner last asked of KSM on the host (it may not show in the inventory, as in a dry run); null when never. */
  public Boolean ksmWanted;

  public HostRecord() {}

  public double mips() {
    return cores * coreMips;
  }

  public PowerModel power() {
    return PowerModel.of(powerWatts);
  }
}
