package io.reshape.planner;

import java.util.Map;

/**
 * A VM's CPU demand over the coming cycle, MIPS: its averaged demand (the footprint's exponential
 * average, which the averaging makes a forecast that does not chase every spike), plus the share of
 * its trend (how much the average moved since the previous cycle) the settings ask for; and its
 * recent peak. Cores are turned into MIPS with the speed of the host they were
 * measured on. A VM never measured is assumed to use all its vCPUs.
 */
final class Forecast {

  private final Map<String, HostRecord> hosts;
  private final double trendWeight;

  Forecast(Map<String, HostRecord> hosts, double trendWeight) {
    this.hosts = hosts;
    this.trendWeight = trendWeight;
  }

  double mips(VmRecord vm) {
    HostRecord measuredOn = hosts.getOrDefault(vm.cpuHostId, hosts.get(vm.hostId));
    if (measuredOn == null) {
      return 0;
    }
    if (vm.cpuAtMicros == 0) {
      return vm.vcpus * measuredOn.coreMips;
    }
    int seen = vm.recentCpuCores.length;
    double trend = seen == 0 ? 0 : vm.cpuCores - vm.recentCpuCores[seen - 1];
    return mips(vm.cpuCores + trendWeight * trend, vm, measuredOn);
  }

  /**
   * The highest the VM's averaged demand was over the last cycles, MIPS: what packing counts, so
   * that a VM whose load swings is placed for its swing, not emptied out at its low.
   */
  double peakMips(VmRecord vm) {
    HostRecord measuredOn = hosts.getOrDefault(vm.cpuHostId, hosts.get(vm.hostId));
    if (measuredOn == null || vm.cpuAtMicros == 0) {
      return mips(vm);
    }
    double peak = vm.cpuCores;
    for (double cores : vm.recentCpuCores) {
      peak = Math.max(peak, cores);
    }
    return Math.max(mips(vm), mips(peak, vm, measuredOn));
  }

  private static double mips(double cores, VmRecord vm, HostRecord measuredOn) {
    return Math.max(0, Math.min(cores, vm.vcpus)) * measuredOn.coreMips;
  }

  boolean measured(VmRecord vm) {
    return vm.cpuAtMicros > 0;
  }

  /** The most any one vCPU of the VM is expected to need, MIPS: what a host's core must offer. */
  double perVcpuMips(VmRecord vm) {
    return mips(vm) / Math.max(1, vm.vcpus);
  }
}
