package io.reshape.planner;

import java.io.Serializable;
import java.time.Duration;

/**
 * What every lever's gains and costs are worth, in one currency, so that paging a VM out, freeing a
 * host, keeping traffic local and moving a VM can be weighed against each other. Each lever states
 * its effect in physical units (watts, bytes, host-time at 100%); this model prices them.
 *
 * @param energyPerKwh price of a kWh drawn
 * @param memoryPerGibHour what a GiB of RAM is worth for an hour, when freed (what it lets a host hold)
 * @param transferPerGib price of a GiB sent across the network (a migration's copy, traffic between hosts)
 * @param swapPerGib price of a GiB written to or read from a host's swap
 * @param overloadPerHostHour penalty for an hour during which a host's VMs want more CPU than it has
 * @param degradationPerCoreHour penalty for an hour of a core's worth of CPU a VM does not get
 *     (migrations slow a VM by a tenth while they last)
 * @param wakeStallPerSecond penalty for each second a VM waits on memory that was paged out
 * @param horizon how long a placement's gain is counted: a host freed saves its power for this long
 */
public record CostModel(
    double energyPerKwh,
    double memoryPerGibHour,
    double transferPerGib,
    double swapPerGib,
    double overloadPerHostHour,
    double degradationPerCoreHour,
    double wakeStallPerSecond,
    Duration horizon) implements Serializable {

  private static final double GIB = 1L << 30;

  public CostModel {
    if (energyPerKwh < 0 || memoryPerGibHour < 0 || transferPerGib < 0 || swapPerGib < 0 || overloadPerHostHour < 0
        || degradationPerCoreHour < 0 || wakeStallPerSecond < 0) {
      throw new IllegalArgumentException("prices must not be negative");
    }
    if (horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("horizon must be positive");
    }
  }

  /**
   * Energy at 0.15 per kWh; RAM at 0.004 per GiB-hour; a GiB across the datacenter's own network at
   * 0.002, to or from local swap at 0.0002; a host-hour at 100% at 0.5; a core-hour a VM goes
   * without at 0.05; a second a VM stalls on paged-out memory at 0.0002; gains counted over four hours
   * (a host freed stays off, a placement holds, through the next swing of a daily load).
   */
  public static CostModel defaults() {
    return new CostModel(0.15, 0.004, 0.002, 0.0002, 0.5, 0.05, 0.0002, Duration.ofHours(4));
  }

  /**
   * These prices for a fleet whose day lasts {@code day} of event time (a simulation that runs
   * faster than the clock): what is priced per hour costs as much per hour of that fleet's
   * day, and gains count over the same share of its day. What is priced per byte stays.
   */
  public CostModel overDay(Duration day) {
    double factor = Duration.ofDays(1).toMillis() / (double) day.toMillis();
    return new CostModel(energyPerKwh * factor, memoryPerGibHour * factor, transferPerGib, swapPerGib, overloadPerHostHour * factor,
        degradationPerCoreHour * factor, wakeStallPerSecond, Duration.ofMillis(Math.max(1, Math.round(horizon.toMillis() / factor))));
  }

  /** {@code watts} over the horizon. */
  public double energy(double watts) {
    return watts * hours(horizon) / 1000 * energyPerKwh;
  }

  /** {@code bytes} of RAM for {@code duration}. */
  public double memory(double bytes, Duration duration) {
    return bytes / GIB * hours(duration) * memoryPerGibHour;
  }

  /** {@code bytes} sent across the network. */
  public double transfer(double bytes) {
    return bytes / GIB * transferPerGib;
  }

  /** {@code bytes} written to or read from swap. */
  public double swap(double bytes) {
    return bytes / GIB * swapPerGib;
  }

  /** A host overloaded for {@code hostHours}. */
  public double overload(double hostHours) {
    return hostHours * overloadPerHostHour;
  }

  /** {@code coreSeconds} of CPU a VM wanted and did not get. */
  public double degradation(double coreSeconds) {
    return coreSeconds / 3600 * degradationPerCoreHour;
  }

  /** A VM stalled for {@code seconds} on paged-out memory. */
  public double wakeStall(double seconds) {
    return seconds * wakeStallPerSecond;
  }

  static double hours(Duration duration) {
    return duration.toMillis() / 3.6e6;
  }
}
