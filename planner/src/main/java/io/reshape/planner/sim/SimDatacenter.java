package io.reshape.planner.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * CloudSim's PlanetLab datacenter, run 300 s step by step: 800 hosts alternating G4 and G5, the
 * day's VMs placed at the start by power-aware best-fit decreasing with their full MIPS (as CloudSim
 * creates them), then moved by the migrations a planner asks for.
 *
 * <p>A migration asked for before a step starts {@code startSeconds} into it (when the planner
 * decided it) and takes the VM's RAM over 62.5 MB/s.
 * Meanwhile the VM runs on its source host at 90% of what it requests (the 10% it loses is what
 * PDM counts) and the destination spends the other 10% receiving it; then the VM runs on the
 * destination. Within a step a host's VMs request their step's MIPS; a vCPU never gets more than
 * one core, and a host whose VMs request more than it has shares it out in proportion: its
 * allocated MIPS fall below the requested, which is what SLATAH counts. A host with no VM, and no
 * VM arriving or leaving, is off.
 */
public final class SimDatacenter {

  public static final int HOSTS = 800;
  private static final double RECEIVING_SHARE = 0.1;

  private final PlanetLabDay day;
  private final HostType[] hostTypes;
  private final int[] hostOf;
  /** Memory each VM holds on its host, MB: all of its RAM, or what stays resident while it is paged out. */
  private final double[] residentMb;
  private final boolean[] ksm;
  private final List<Migration> queued = new ArrayList<>();
  private int nextStep;

  /** A migration under way in the step being run, from {@code start} to {@code end} seconds into it. */
  private record Migration(int vm, int from, int to, double start, double end) {}

  private SimDatacenter(PlanetLabDay day, int hosts) {
    this.day = day;
    this.hostTypes = IntStream.range(0, hosts).mapToObj(HostType::ofHost).toArray(HostType[]::new);
    this.hostOf = new int[day.vmCount()];
    this.residentMb = IntStream.range(0, day.vmCount()).mapToDouble(vm -> day.type(vm).ramMb()).toArray();
    this.ksm = new boolean[hosts];
  }

  /** The day's VMs on {@code hosts} hosts, placed as CloudSim creates them. */
  public static SimDatacenter start(PlanetLabDay day, int hosts) {
    SimDatacenter dc = new SimDatacenter(day, hosts);
    dc.placeInitially();
    return dc;
  }

  public static SimDatacenter start(PlanetLabDay day) {
    return start(day, HOSTS);
  }

  /**
   * Power-aware best-fit decreasing with each VM's full MIPS: largest VMs first, each on the host
   * whose power rises least, among those with a core as fast as the VM and the MIPS free for it.
   */
  private void placeInitially() {
    double[] reserved = new double[hostTypes.length];
    Integer[] order = IntStream.range(0, day.vmCount()).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingInt((Integer vm) -> day.type(vm).mips()).reversed());
    for (int vm : order) {
      int mips = day.type(vm).mips();
      int best = -1;
      double bestIncrease = Double.MAX_VALUE;
      for (int h = 0; h < hostTypes.length; h++) {
        HostType type = hostTypes[h];
        if (type.coreMips() < mips || reserved[h] + mips > type.mips()) {
          continue;
        }
        double increase = type.power().watts((reserved[h] + mips) / type.mips()) - type.power().watts(reserved[h] / type.mips());
        if (increase < bestIncrease) {
          bestIncrease = increase;
          best = h;
        }
      }
      if (best < 0) {
        throw new IllegalStateException("No host can create VM " + day.vmName(vm) + " (" + mips + " MIPS): the datacenter is full");
      }
      reserved[best] += mips;
      hostOf[vm] = best;
    }
  }

  public PlanetLabDay day() {
    return day;
  }

  public int hostCount() {
    return hostTypes.length;
  }

  public HostType hostType(int host) {
    return hostTypes[host];
  }

  public int hostOf(int vm) {
    return hostOf[vm];
  }

  /** The step the next {@link #runStep} runs, 0 to {@link PlanetLabDay#STEPS}. */
  public int nextStep() {
    return nextStep;
  }

  public boolean finished() {
    return nextStep >= PlanetLabDay.STEPS;
  }

  /**
   * Moves {@code vm} to {@code to} during the next step, starting {@code startSeconds} into it.
   *
   * @return why it cannot be done, or empty when it was queued
   */
  public Optional<String> migrate(int vm, int to, double startSeconds) {
    if (vm < 0 || vm >= hostOf.length || to < 0 || to >= hostTypes.length) {
      return Optional.of("No such VM " + vm + " or host " + to);
    }
    if (hostOf[vm] == to) {
      return Optional.of("VM " + day.vmName(vm) + " is already on host " + to);
    }
    if (queued.stream().anyMatch(m -> m.vm() == vm)) {
      return Optional.of("VM " + day.vmName(vm) + " is already being migrated this step");
    }
    double end = Math.min(PlanetLabDay.STEP_SECONDS, startSeconds + day.type(vm).migrationSeconds());
    queued.add(new Migration(vm, hostOf[vm], to, startSeconds, end));
    hostOf[vm] = to;
    return Optional.empty();
  }

  /** Pages {@code vm} out, keeping {@code residentMb} of it in RAM; empty when done, else why not. */
  public Optional<String> pageOut(int vm, double keepMb) {
    if (residentMb[vm] < day.type(vm).ramMb()) {
      return Optional.of("VM " + day.vmName(vm) + " is paged out already");
    }
    residentMb[vm] = Math.min(keepMb, day.type(vm).ramMb());
    return Optional.empty();
  }

  /** Brings a paged-out VM's memory back; empty when done, else why not. */
  public Optional<String> swapIn(int vm) {
    if (residentMb[vm] >= day.type(vm).ramMb()) {
      return Optional.of("VM " + day.vmName(vm) + " is not paged out");
    }
    residentMb[vm] = day.type(vm).ramMb();
    return Optional.empty();
  }

  public boolean pagedOut(int vm) {
    return residentMb[vm] < day.type(vm).ramMb();
  }

  public void ksm(int host, boolean on) {
    ksm[host] = on;
  }

  public boolean ksm(int host) {
    return ksm[host];
  }

  /** Runs the next step with the migrations queued for it, adding its figures to {@code board}. */
  public void runStep(Scoreboard board) {
    if (finished()) {
      throw new IllegalStateException("The day is over: all " + PlanetLabDay.STEPS + " steps have run");
    }
    TreeSet<Double> bounds = new TreeSet<>(List.of(0.0, PlanetLabDay.STEP_SECONDS));
    queued.forEach(m -> {
      bounds.add(m.start());
      bounds.add(m.end());
      board.migration();
    });
    double start = 0;
    for (double end : bounds.tailSet(0.0, false)) {
      runInterval(nextStep, start, end, board);
      start = end;
    }
    queued.clear();
    nextStep++;
  }

  /** One stretch of a step during which no migration starts or ends. */
  private void runInterval(int step, double from, double to, Scoreboard board) {
    double seconds = to - from;
    double[] requested = new double[hostTypes.length];
    double[] served = new double[hostTypes.length];
    boolean[] powered = new boolean[hostTypes.length];
    double[] asked = new double[hostOf.length];
    int[] servedOn = new int[hostOf.length];
    boolean[] migrating = new boolean[hostOf.length];
    for (int vm = 0; vm < hostOf.length; vm++) {
      asked[vm] = day.requestedMips(vm, step);
      servedOn[vm] = hostOf[vm];
    }
    for (Migration m : queued) {
      if (to <= m.start()) {
        servedOn[m.vm()] = m.from();
      } else if (from < m.end()) {
        migrating[m.vm()] = true;
        servedOn[m.vm()] = m.from();
        // The destination spends a tenth of the VM's MIPS receiving it: a load, not a request of the VM.
        requested[m.to()] += RECEIVING_SHARE * asked[m.vm()];
        served[m.to()] += RECEIVING_SHARE * asked[m.vm()];
        powered[m.to()] = true;
      }
    }
    double[] vmServed = new double[hostOf.length];
    for (int vm = 0; vm < hostOf.length; vm++) {
      int host = servedOn[vm];
      double wanted = migrating[vm] ? (1 - RECEIVING_SHARE) * asked[vm] : asked[vm];
      vmServed[vm] = Math.min(wanted, hostTypes[host].coreMips());
      requested[host] += wanted;
      served[host] += vmServed[vm];
      powered[host] = true;
    }
    double[] ramMb = new double[hostTypes.length];
    for (int vm = 0; vm < hostOf.length; vm++) {
      ramMb[servedOn[vm]] += residentMb[vm];
      board.pagedOut(seconds, (day.type(vm).ramMb() - residentMb[vm]) * (1L << 20));
    }
    for (int h = 0; h < hostTypes.length; h++) {
      if (powered[h]) {
        HostType type = hostTypes[h];
        double allocated = Math.min(served[h], type.mips());
        board.hostInterval(seconds, type.power().watts(allocated / type.mips()), allocated < requested[h],
            ramMb[h] > HostType.RAM_MB);
      }
    }
    for (int vm = 0; vm < hostOf.length; vm++) {
      int host = servedOn[vm];
      double share = Math.min(1, hostTypes[host].mips() / served[host]);
      double got = vmServed[vm] * share;
      board.vmInterval(seconds, asked[vm], migrating[vm] ? asked[vm] - got : 0);
    }
  }
}
