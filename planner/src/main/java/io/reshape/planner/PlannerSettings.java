package io.reshape.planner;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the planner judges a cell. The thresholds are shares of a host's CPU capacity, against the
 * VMs' forecast demand; they form the hysteresis that keeps an oscillating load from moving VMs to
 * and fro: a host is relieved only above {@code overloadShare}, emptied only below
 * {@code underloadShare}, and a VM is only placed where the forecast stays under {@code targetShare}.
 *
 * @param cycle how often a cell is planned, in event time
 * @param cycleOffset where in each period the cycle falls: cycles are at multiples of {@code cycle}
 *     plus this (a simulation plans a little after its steps start, once their first reports are in)
 * @param overloadShare a host whose forecast exceeds this share of its CPU is relieved
 * @param targetShare a destination's forecast, the VM included, must stay under this share
 * @param underloadShare a host whose forecast is under this share is emptied when its VMs fit elsewhere
 * @param trendWeight how much of a VM's CPU trend (the change of its averaged demand per cycle) is
 *     added to its forecast: 0 forecasts the average itself
 * @param peakWindow packing counts each VM at the highest its averaged demand reached over this
 *     long (at least a cycle): a swinging load is placed for its swing, and not emptied out at its low
 * @param enforceMemory whether a host's RAM bounds what it holds (resident memory of its VMs)
 * @param cooldown least time between two migrations of one VM
 * @param maxMigrationsPerHost migrations a host may be part of (in or out) at once
 * @param maxMigrationsPerCell migrations a cell may have under way at once
 * @param decisionLifetime how long a decision stays worth applying: its deadline
 * @param pageOutMinIdle least remaining idleness that pays for a page-out and the swap-in after it: as
 *     predicted, or, without a prediction or once it is outlived, as long again as the VM has been idle
 * @param pageOutMinConfidence least confidence in that prediction (one without a prediction counts as 1/2)
 * @param swapInLead lead time before a predicted wake-up at which a paged-out VM is brought back,
 *     until swap-ins have been measured (then the measured duration, doubled)
 * @param affinityBytesPerSecond traffic between two VMs from which they are worth placing together
 * @param sharedPagesWorthMoving shared pages from which two VMs are worth placing together
 * @param ksmOnBytes mergeable memory on a host from which KSM is turned on (off below a quarter of it)
 * @param heavyShare a VM using this share of a host's network or memory write bandwidth is heavy on
 *     it; two VMs heavy on the same resource never share a host
 * @param costs what gains and costs are worth
 */
public record PlannerSettings(
    Duration cycle,
    Duration cycleOffset,
    double overloadShare,
    double targetShare,
    double underloadShare,
    double trendWeight,
    Duration peakWindow,
    boolean enforceMemory,
    Duration cooldown,
    int maxMigrationsPerHost,
    int maxMigrationsPerCell,
    Duration decisionLifetime,
    Duration pageOutMinIdle,
    double pageOutMinConfidence,
    Duration swapInLead,
    double affinityBytesPerSecond,
    long sharedPagesWorthMoving,
    long ksmOnBytes,
    double heavyShare,
    CostModel costs) implements Serializable {

  public PlannerSettings {
    if (!(underloadShare >= 0 && underloadShare < targetShare && targetShare <= overloadShare)) {
      throw new IllegalArgumentException("Thresholds must satisfy 0 <= underloadShare < targetShare <= overloadShare, not "
          + underloadShare + ", " + targetShare + ", " + overloadShare);
    }
    if (cycle.isNegative() || cycle.isZero() || decisionLifetime.isNegative() || decisionLifetime.isZero()) {
      throw new IllegalArgumentException("cycle and decisionLifetime must be positive");
    }
    if (cycleOffset.isNegative() || cycleOffset.compareTo(cycle) >= 0) {
      throw new IllegalArgumentException("cycleOffset must be in [0, cycle)");
    }
    if (cooldown.isNegative() || pageOutMinIdle.isNegative() || swapInLead.isNegative() || peakWindow.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (maxMigrationsPerHost < 1 || maxMigrationsPerCell < 1) {
      throw new IllegalArgumentException("migration caps must be at least 1");
    }
    if (pageOutMinConfidence < 0 || pageOutMinConfidence > 1 || heavyShare <= 0 || heavyShare > 1) {
      throw new IllegalArgumentException("pageOutMinConfidence must be in [0, 1] and heavyShare in (0, 1]");
    }
  }

  /** A cell planned every 30 s. */
  public static PlannerSettings defaults() {
    return new PlannerSettings(Duration.ofSeconds(30), Duration.ZERO, 1.0, 0.9, 0.8, 0.0, Duration.ofMinutes(5), false, Duration.ofMinutes(5), 2, 64,
        Duration.ofMinutes(5), Duration.ofMinutes(10), 0.5, Duration.ofSeconds(30), 100_000, 16_384, 64L << 20, 0.5,
        CostModel.defaults());
  }

  /** These settings, to change some of: {@code settings.toBuilder().cycle(...).build()}. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Settings made from others with some fields changed; {@link #build()} checks them as the constructor does. */
  public static final class Builder {

    private Duration cycle;
    private Duration cycleOffset;
    private double overloadShare;
    private double targetShare;
    private double underloadShare;
    private double trendWeight;
    private Duration peakWindow;
    private boolean enforceMemory;
    private Duration cooldown;
    private int maxMigrationsPerHost;
    private int maxMigrationsPerCell;
    private Duration decisionLifetime;
    private Duration pageOutMinIdle;
    private double pageOutMinConfidence;
    private Duration swapInLead;
    private double affinityBytesPerSecond;
    private long sharedPagesWorthMoving;
    private long ksmOnBytes;
    private double heavyShare;
    private CostModel costs;

    private Builder(PlannerSettings s) {
      cycle = s.cycle;
      cycleOffset = s.cycleOffset;
      overloadShare = s.overloadShare;
      targetShare = s.targetShare;
      underloadShare = s.underloadShare;
      trendWeight = s.trendWeight;
      peakWindow = s.peakWindow;
      enforceMemory = s.enforceMemory;
      cooldown = s.cooldown;
      maxMigrationsPerHost = s.maxMigrationsPerHost;
      maxMigrationsPerCell = s.maxMigrationsPerCell;
      decisionLifetime = s.decisionLifetime;
      pageOutMinIdle = s.pageOutMinIdle;
      pageOutMinConfidence = s.pageOutMinConfidence;
      swapInLead = s.swapInLead;
      affinityBytesPerSecond = s.affinityBytesPerSecond;
      sharedPagesWorthMoving = s.sharedPagesWorthMoving;
      ksmOnBytes = s.ksmOnBytes;
      heavyShare = s.heavyShare;
      costs = s.costs;
    }

    public Builder cycle(Duration cycle) {
      this.cycle = cycle;
      return this;
    }

    public Builder cycleOffset(Duration cycleOffset) {
      this.cycleOffset = cycleOffset;
      return this;
    }

    public Builder overloadShare(double overloadShare) {
      this.overloadShare = overloadShare;
      return this;
    }

    public Builder targetShare(double targetShare) {
      this.targetShare = targetShare;
      return this;
    }

    public Builder underloadShare(double underloadShare) {
      this.underloadShare = underloadShare;
      return this;
    }

    public Builder trendWeight(double trendWeight) {
      this.trendWeight = trendWeight;
      return this;
    }

    public Builder peakWindow(Duration peakWindow) {
      this.peakWindow = peakWindow;
      return this;
    }

    public Builder enforceMemory(boolean enforceMemory) {
      this.enforceMemory = enforceMemory;
      return this;
    }

    public Builder cooldown(Duration cooldown) {
      this.cooldown = cooldown;
      return this;
    }

    public Builder maxMigrationsPerHost(int maxMigrationsPerHost) {
      this.maxMigrationsPerHost = maxMigrationsPerHost;
      return this;
    }

    public Builder maxMigrationsPerCell(int maxMigrationsPerCell) {
      this.maxMigrationsPerCell = maxMigrationsPerCell;
      return this;
    }

    public Builder decisionLifetime(Duration decisionLifetime) {
      this.decisionLifetime = decisionLifetime;
      return this;
    }

    public Builder pageOutMinIdle(Duration pageOutMinIdle) {
      this.pageOutMinIdle = pageOutMinIdle;
      return this;
    }

    public Builder pageOutMinConfidence(double pageOutMinConfidence) {
      this.pageOutMinConfidence = pageOutMinConfidence;
      return this;
    }

    public Builder swapInLead(Duration swapInLead) {
      this.swapInLead = swapInLead;
      return this;
    }

    public Builder affinityBytesPerSecond(double affinityBytesPerSecond) {
      this.affinityBytesPerSecond = affinityBytesPerSecond;
      return this;
    }

    public Builder sharedPagesWorthMoving(long sharedPagesWorthMoving) {
      this.sharedPagesWorthMoving = sharedPagesWorthMoving;
      return this;
    }

    public Builder ksmOnBytes(long ksmOnBytes) {
      this.ksmOnBytes = ksmOnBytes;
      return this;
    }

    public Builder heavyShare(double heavyShare) {
      this.heavyShare = heavyShare;
      return this;
    }

    public Builder costs(CostModel costs) {
      this.costs = costs;
      return this;
    }

    public PlannerSettings build() {
      return new PlannerSettings(cycle, cycleOffset, overloadShare, targetShare, underloadShare, trendWeight, peakWindow, enforceMemory,
          cooldown, maxMigrationsPerHost, maxMigrationsPerCell, decisionLifetime, pageOutMinIdle, pageOutMinConfidence, swapInLead,
          affinityBytesPerSecond, sharedPagesWorthMoving, ksmOnBytes, heavyShare, costs);
    }
  }
}
