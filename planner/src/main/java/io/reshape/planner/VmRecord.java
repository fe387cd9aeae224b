package io.reshape.planner;

/**
 * What the planner knows of one VM: its inventory facts, the analytics' latest word on it
 * (footprint, idleness, written set, reuse answers) and what the planner itself remembers (where it
 * came from, when it last moved, whether it is paged out, the decision still under way). A Flink
 * POJO (public fields), kept per VM in the planner's keyed state; the offline evaluator keeps the
 * same records in a map.
 */
public class VmRecord {

  public String vmId;
  public String hostId;
  public int vcpus;
  public long memoryBytes;
  /** {@link io.reshape.events.VmState} by name. */
  public String state;
  public boolean pinned;
  public long observedAtMicros;

  /** Averaged CPU demand from the latest footprint, cores of the host named in it. */
  public double cpuCores;
  /** {@link #cpuCores} as the last planning cycles saw it, oldest first: for its trend and its recent peak. */
  public double[] recentCpuCores = new double[0];
  /** Host the latest footprint was computed on (its core speed turns cores into MIPS). */
  public String cpuHostId;
  public long cpuAtMicros;
  /** Traffic to endpoints outside the fleet, bytes per second. */
  public double externalBytesPerSecond;
  public double dirtyPagesPerSecond;

  /** {@link io.reshape.events.IdleState} by name; null until the idleness job spoke. */
  public String idleState;
  public long idleSinceMicros;
  /** Predicted end of the idle period, microseconds; 0 when there is no prediction. */
  public long predictedWakeMicros;
  public double idleConfidence;

  /** Distinct pages written over the last few minutes times the page size, bytes; -1 when unknown. */
  public long writtenSetBytes = -1;

  /** Hosts the page-generations job answered for, with the bytes a move there would send. */
  public String[] reuseHosts = new String[0];
  public long[] reuseBytes = new long[0];

  public boolean pagedOut;
  public long pagedOutAtMicros;
  /** Memory left resident when paged out, bytes. */
  public long residentBytes;
  /**
   * Event time of the last action the planner decided for the VM other than a swap-in,
   * microseconds; 0 when none. The cool-down counts from it, as the coordinator's does.
   */
  public long lastActedMicros;
  /** Event time the planner last asked the page-generations job about the VM's previous host, microseconds. */
  public long reuseAskedMicros;
  /** Host the VM left last; it may return there cheaply while its image is reusable. */
  public String previousHostId;

  /** The decision under way for this VM, if any. */
  public String pendingDecisionId;
  public String pendingAction;
  public String pendingDestination;
  public long pendingDeadlineMicros;

  public VmRecord() {}

  public boolean idle() {
    return "IDLE".equals(idleState);
  }

  public boolean hasPending() {
    return pendingDecisionId != null;
  }

  /** Bytes a move to {@code host} sends, from the reuse answers; the whole memory without one. */
  public long bytesToSend(String host) {
    for (int i = 0; i < reuseHosts.length; i++) {
      if (reuseHosts[i].equals(host)) {
        return reuseBytes[i];
      }
    }
    return memoryBytes;
  }

  /**
   * The memory the VM needs on its host: what was kept resident while it is paged out and idle, all
   * of it otherwise (a paged-out VM that is active again is swapped in wherever it is).
   */
  long memoryNeeded() {
    return pagedOut && idle() ? residentBytes : memoryBytes;
  }
}
