package io.reshape.planner;

/**
 * Two VMs worth placing together: their mutual traffic (affinities) and the pages KSM could merge
 * if they shared a host (sharing). A Flink POJO (public fields), keyed by {@code vmA|vmB}.
 */
public class PairRecord {

  public String vmA;
  public String vmB;
  public double bytesPerSecond;
  public long sharedPages;
  public long computedAtMicros;

  public PairRecord() {}

  public String other(String vm) {
    return vm.equals(vmA) ? vmB : vmA;
  }
}
