package io.reshape.planner.sim;

import io.reshape.planner.PowerModel;

/**
 * The two host types of CloudSim's PlanetLab experiments (CloudSim 3.0.3): HP ProLiant ML110 G4
 * and G5, two cores each, 4 GiB, 1 Gbit/s, with their SPECpower tables.
 */
public enum HostType {
  G4("HP ProLiant ML110 G4 (Xeon 3040)", 1860, new PowerModel(86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117)),
  G5("HP ProLiant ML110 G5 (Xeon 3075)", 2660, new PowerModel(93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135));

  public static final int CORES = 2;
  public static final int RAM_MB = 4096;
  public static final long BANDWIDTH_KBIT = 1_000_000;

  private final String model;
  private final int coreMips;
  private final PowerModel power;

  HostType(String model, int coreMips, PowerModel power) {
    this.model = model;
    this.coreMips = coreMips;
    this.power = power;
  }

  /** Host {@code index} of the datacenter has type {@code index % 2}, as in CloudSim's set-up. */
  public static HostType ofHost(int index) {
    return values()[index % 2];
  }

  public String model() {
    return model;
  }

  public int coreMips() {
    return coreMips;
  }

  public int mips() {
    return CORES * coreMips;
  }

  public PowerModel power() {
    return power;
  }
}
