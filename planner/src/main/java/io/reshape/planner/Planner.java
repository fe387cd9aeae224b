package io.reshape.planner;

import io.reshape.events.Decision;
import io.reshape.events.GenerationRequest;
import io.reshape.events.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Plans one cell: runs each lever in turn on one placement (overload relief, co-placement,
 * consolidation, paging, KSM), every move held to the same guardrails and weighed with the same cost model,
 * and says what it chose and what it left. "No beneficial move" is an answer like any other.
 * Paging comes after the moves: a VM with a swap-in or page-out under way may not move in the same
 * cycle, and a VM is best swapped in where it is going, not where it was.
 */
public final class Planner {

  /** What a cycle produced: the decisions, the questions for the page-generations job, the plan record, and the records it changed. */
  public record Result(List<Decision> decisions, List<GenerationRequest> requests, Plan plan, Set<VmRecord> changedVms,
      Set<HostRecord> changedHosts) {}

  private final PlannerSettings settings;
  private final List<Lever> levers = List.of(
      new OverloadLever(), new CoPlacementLever(), new ConsolidationLever(), new PagingLever(), new KsmLever());

  public Planner(PlannerSettings settings) {
    this.settings = settings;
  }

  public PlannerSettings settings() {
    return settings;
  }

  public Result plan(Cell cell, Instant now) {
    Cycle cycle = new Cycle(cell, now, settings);
    expirePending(cycle);
    for (Lever lever : levers) {
      cycle.lever(lever.name());
      lever.plan(cycle);
    }
    cycle.finishLever();
    askAboutReuse(cycle);
    rememberDemand(cycle);
    cell.memory().lastCycleMicros = cycle.nowMicros();
    Plan plan = Plan.newBuilder()
        .setCellId(cell.cellId())
        .setPlannedAt(now)
        .setHosts(cell.hosts().size())
        .setActiveHosts(activeHosts(cycle))
        .setVms(cell.vms().size())
        .setDecisionIds(cycle.decisions().stream().map(Decision::getDecisionId).toList())
        .setLevers(cycle.reports())
        .setNotChosen(cycle.notChosen())
        .setWakesResident(cell.memory().wakesResident)
        .setWakesPagedOut(cell.memory().wakesPagedOut)
        .setSummary(summary(cycle))
        .build();
    return new Result(List.copyOf(cycle.decisions()), List.copyOf(cycle.requests()), plan, cycle.changed(), cycle.changedHosts());
  }

  /** A decision whose deadline passed without an outcome is no longer under way: the VM may be planned again. */
  private static void expirePending(Cycle cycle) {
    for (VmRecord vm : cycle.cell.vms()) {
      if (vm.hasPending() && vm.pendingDeadlineMicros < cycle.nowMicros()) {
        CellInputs.clearPending(vm);
        cycle.markChanged(vm);
      }
    }
  }

  /**
   * A VM that left a host may still have its image there; where the page-generations job has not
   * said what a move back would send, the planner asks, once per cool-down. It asks only about VMs
   * the job has answered for before: the job follows only VMs whose dirty pages it sees.
   */
  private void askAboutReuse(Cycle cycle) {
    long every = settings.cooldown().plus(Duration.ofSeconds(1)).toNanos() / 1000;
    for (VmRecord vm : cycle.cell.vms()) {
      String home = vm.previousHostId;
      if (home != null && !home.equals(vm.hostId) && vm.reuseHosts.length > 0 && cycle.placement.indexOf(home) != null
          && vm.bytesToSend(home) == vm.memoryBytes && cycle.nowMicros() - vm.reuseAskedMicros >= every) {
        cycle.ask(vm, home);
        vm.reuseAskedMicros = cycle.nowMicros();
        cycle.markChanged(vm);
      }
    }
  }

  /** What each VM's averaged demand was at this cycle, for the trends and peaks of the next. */
  private void rememberDemand(Cycle cycle) {
    int window = (int) Math.max(1, settings.peakWindow().toNanos() / settings.cycle().toNanos());
    for (VmRecord vm : cycle.cell.vms()) {
      if (vm.cpuAtMicros > 0) {
        double[] recent = vm.recentCpuCores;
        int keep = Math.min(recent.length, window - 1);
        double[] next = new double[keep + 1];
        System.arraycopy(recent, recent.length - keep, next, 0, keep);
        next[keep] = vm.cpuCores;
        vm.recentCpuCores = next;
        cycle.markChanged(vm);
      }
    }
  }

  private static int activeHosts(Cycle cycle) {
    int active = 0;
    for (int h = 0; h < cycle.placement.hostCount(); h++) {
      if (cycle.placement.active(h)) {
        active++;
      }
    }
    return active;
  }

  private static String summary(Cycle cycle) {
    if (cycle.decisions().isEmpty()) {
      return "No beneficial move: " + cycle.reports().stream().mapToInt(r -> r.getConsidered()).sum()
          + " candidates considered, none worth its cost within the guardrails";
    }
    StringBuilder s = new StringBuilder(cycle.decisions().size() + " decisions:");
    cycle.reports().stream().filter(r -> r.getChosen() > 0)
        .forEach(r -> s.append(' ').append(r.getLever()).append(' ').append(r.getChosen()));
    return s.append("; ").append(activeHosts(cycle)).append(" hosts running").toString();
  }
}
