package io.reshape.planner.sim;

import io.reshape.planner.sim.PlanetLabTraces.VmTrace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One day of PlanetLab traces as CloudSim's experiments use it: the VMs in the order
 * {@link java.io.File#listFiles()} gives, VM {@code i} of {@code n} of type {@code i / ceil(n/4)},
 * each requesting its utilisation times its type's MIPS during each 300 s step.
 */
public final class PlanetLabDay {

  public static final int STEPS = PlanetLabTraces.SAMPLES_PER_DAY;
  public static final double STEP_SECONDS = PlanetLabTraces.SAMPLE_PERIOD.toSeconds();

  private final String name;
  private final List<VmTrace> vms;

  public PlanetLabDay(String name, List<VmTrace> vms) {
    if (vms.isEmpty()) {
      throw new IllegalArgumentException("Day " + name + " has no VM traces");
    }
    this.name = name;
    this.vms = List.copyOf(vms);
  }

  /** The day in {@code folder}, its VMs in directory order. */
  public static PlanetLabDay load(Path folder) throws IOException {
    return new PlanetLabDay(folder.getFileName().toString(), PlanetLabTraces.readDayAsListed(folder));
  }

  public String name() {
    return name;
  }

  public int vmCount() {
    return vms.size();
  }

  public String vmName(int vm) {
    return vms.get(vm).vm();
  }

  public VmType type(int vm) {
    return VmType.of(vm, vms.size());
  }

  /** MIPS VM {@code vm} requests during {@code step}. */
  public double requestedMips(int vm, int step) {
    return vms.get(vm).utilisationPercent()[step] / 100.0 * type(vm).mips();
  }

  /** What every VM requests during {@code step}, MIPS. */
  public double totalRequestedMips(int step) {
    double total = 0;
    for (int vm = 0; vm < vms.size(); vm++) {
      total += requestedMips(vm, step);
    }
    return total;
  }

  /** The day's mean of the total requested MIPS over its steps (the README's check figure). */
  public double meanRequestedMips() {
    double sum = 0;
    for (int step = 0; step < STEPS; step++) {
      sum += totalRequestedMips(step);
    }
    return sum / STEPS;
  }

  /**
   * The energy no policy can beat without leaving demand unserved: each step's total demand packed
   * onto the most efficient host type at 100% (watts per MIPS at full load; G5: 135 W per 5320
   * MIPS), kWh.
   */
  public double packingLimitKwh() {
    HostType best = Arrays.stream(HostType.values())
        .min(Comparator.comparingDouble(t -> t.power().maxWatts() / t.mips())).orElseThrow();
    double joules = 0;
    for (int step = 0; step < STEPS; step++) {
      joules += totalRequestedMips(step) / best.mips() * best.power().maxWatts() * STEP_SECONDS;
    }
    return joules / 3.6e6;
  }
}
