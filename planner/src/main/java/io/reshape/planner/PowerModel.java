package io.reshape.planner;

import java.util.Arrays;

/**
 * A host's power draw against its CPU utilisation, from a SPECpower table: watts at 0%, 10%, ...,
 * 100%, linear between the points.
 */
public final class PowerModel {

  private final double[] watts;

  /** The points of a SPECpower table: 0%, 10%, ..., 100%. */
  public static final int POINTS = 11;

  private static final PowerModel TYPICAL = linear(100, 250);

  public PowerModel(double... watts) {
    if (watts.length != POINTS) {
      throw new IllegalArgumentException("A SPECpower table has 11 points (0% to 100%), not " + watts.length);
    }
    this.watts = watts.clone();
  }

  /** Draw rising in a straight line from {@code idle} to {@code max} watts. */
  public static PowerModel linear(double idle, double max) {
    double[] watts = new double[POINTS];
    for (int i = 0; i < POINTS; i++) {
      watts[i] = idle + (max - idle) * i / (POINTS - 1);
    }
    return new PowerModel(watts);
  }

  /** The host's own table when the inventory has one, else the draw of a typical two-socket server. */
  public static PowerModel of(double[] table) {
    return table != null && table.length == POINTS ? new PowerModel(table) : TYPICAL;
  }

  /** Watts at {@code utilisation} (0 to 1; values outside are clamped). */
  public double watts(double utilisation) {
    double u = Math.min(1, Math.max(0, utilisation)) * 10;
    int below = (int) Math.floor(u);
    if (below == POINTS - 1) {
      return watts[below];
    }
    return watts[below] + (watts[below + 1] - watts[below]) * (u - below);
  }

  public double idleWatts() {
    return watts[0];
  }

  public double maxWatts() {
    return watts[POINTS - 1];
  }

  /** The table, watts at 0%, 10%, ..., 100%. */
  public double[] table() {
    return watts.clone();
  }

  @Override
  public String toString() {
    return Arrays.toString(watts);
  }
}
