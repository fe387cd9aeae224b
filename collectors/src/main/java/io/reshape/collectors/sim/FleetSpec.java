package io.reshape.collectors.sim;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The shape of a simulated fleet.
 *
 * @param hosts number of hosts
 * @param vmsPerHost VMs placed on each host
 * @param mix share of each workload among the VMs (normalised; absent workloads get none)
 * @param day length of a simulated day, for diurnal workloads
 * @param seed seed of every random choice, so a fleet is reproducible
 * @param labVms VMs run under KVM by the fleet itself (on a host of their own, {@code lab-01}):
 *     their dirty pages are KVM's log of real writes; needs read-write /dev/kvm
 * @param moveEvery simulated time between two live migrations (zero: none); each VM that moves
 *     comes back home at the next one, so the image it left behind gets reused
 */
public record FleetSpec(int hosts, int vmsPerHost, Map<Workload, Double> mix, Duration day, long seed, int labVms,
    Duration moveEvery) {

  /** 40% idle, 25% steady, 20% bursty, 15% diurnal. */
  public static final Map<Workload, Double> DEFAULT_MIX = Map.of(
      Workload.IDLE, 0.40, Workload.STEADY, 0.25, Workload.BURSTY, 0.20, Workload.DIURNAL, 0.15);

  public FleetSpec {
    if (hosts < 1 || vmsPerHost < 1) {
      throw new IllegalArgumentException("A fleet needs at least one host and one VM per host");
    }
    if (moveEvery.isNegative()) {
      throw new IllegalArgumentException("moveEvery cannot be negative: " + moveEvery);
    }
    if (labVms < 0) {
      throw new IllegalArgumentException("Lab VMs cannot be fewer than none: " + labVms);
    }
    if (mix.isEmpty() || mix.values().stream().anyMatch(share -> share < 0)
        || mix.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
      throw new IllegalArgumentException("The workload mix needs positive shares: " + mix);
    }
    mix = Map.copyOf(new EnumMap<>(mix));
  }

  public int vms() {
    return hosts * vmsPerHost;
  }

  /**
   * The workload of VM {@code index}: VMs are laid along the cumulative mix in order, so each
   * workload gets its share of the fleet, rounded, and the assignment is the same every time.
   */
  public Workload workloadOf(int index) {
    double total = mix.values().stream().mapToDouble(Double::doubleValue).sum();
    double position = (index + 0.5) / vms() * total;
    double cumulative = 0;
    Workload last = null;
    for (Workload workload : Workload.values()) {
      Double share = mix.get(workload);
      if (share == null || share == 0) {
        continue;
      }
      cumulative += share;
      last = workload;
      if (position < cumulative) {
        return workload;
      }
    }
    return last;
  }
}
