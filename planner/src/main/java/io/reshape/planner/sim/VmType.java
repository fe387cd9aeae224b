package io.reshape.planner.sim;

/** The four VM types of CloudSim's PlanetLab experiments: one vCPU each, 100 Mbit/s. */
public enum VmType {
  EXTRA_LARGE(2500, 870),
  LARGE(2000, 1740),
  MEDIUM(1000, 1740),
  SMALL(500, 613);

  private final int mips;
  private final int ramMb;

  VmType(int mips, int ramMb) {
    this.mips = mips;
    this.ramMb = ramMb;
  }

  /** VM {@code index} of {@code count} has type {@code index / ceil(count / 4)}, as in CloudSim's set-up. */
  public static VmType of(int index, int count) {
    return values()[index / (int) Math.ceil(count / 4.0)];
  }

  public int mips() {
    return mips;
  }

  public int ramMb() {
    return ramMb;
  }

  /**
   * Seconds a live migration takes: RAM over half the host's bandwidth, as CloudSim computes it
   * (RAM / (bandwidth / (2 x 8000)), i.e. RAM / 62.5 MB/s on 1 Gbit/s).
   */
  public double migrationSeconds() {
    return ramMb / (HostType.BANDWIDTH_KBIT / (2.0 * 8000));
  }
}
