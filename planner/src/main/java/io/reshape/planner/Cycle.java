package io.reshape.planner;

import io.reshape.events.Action;
import io.reshape.events.Benefit;
import io.reshape.events.Cost;
import io.reshape.events.Decision;
import io.reshape.events.GenerationRequest;
import io.reshape.events.LeverReport;
import io.reshape.events.NotChosen;
import io.reshape.schemas.Micros;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One planning cycle of one cell in the making: the placement as decided so far, the guardrails,
 * and what each lever chose and left. Levers add to it in turn; {@link Planner} reads it out.
 */
final class Cycle {

  /** Candidates left alone that a plan record lists; more would not be read. */
  static final int NOT_CHOSEN_LISTED = 32;

  final Cell cell;
  final Instant now;
  final PlannerSettings settings;
  final Placement placement;
  final Destinations destinations;
  final Map<String, VmRecord> vms = new HashMap<>();
  final Map<String, List<PairRecord>> pairsByVm = new HashMap<>();
  private final List<Decision> decisions = new ArrayList<>();
  private final List<GenerationRequest> requests = new ArrayList<>();
  private final List<LeverReport> reports = new ArrayList<>();
  private final List<NotChosen> notChosen = new ArrayList<>();
  private final Set<VmRecord> changed = new LinkedHashSet<>();
  private final Set<HostRecord> changedHosts = new LinkedHashSet<>();
  private String lever;
  private int considered;
  private int chosen;
  private double value;

  Cycle(Cell cell, Instant now, PlannerSettings settings) {
    this.cell = cell;
    this.now = now;
    this.settings = settings;
    Map<String, HostRecord> hosts = new HashMap<>();
    cell.hosts().forEach(h -> hosts.put(h.hostId, h));
    cell.vms().forEach(v -> vms.put(v.vmId, v));
    cell.pairs().forEach(p -> {
      pairsByVm.computeIfAbsent(p.vmA, k -> new ArrayList<>()).add(p);
      pairsByVm.computeIfAbsent(p.vmB, k -> new ArrayList<>()).add(p);
    });
    this.placement = new Placement(cell, new Forecast(hosts, settings.trendWeight()));
    this.destinations = new Destinations(placement, settings, pairsByVm);
  }

  long nowMicros() {
    return Micros.of(now);
  }

  /** Starts the report of {@code name}. */
  void lever(String name) {
    finishLever();
    lever = name;
    considered = 0;
    chosen = 0;
    value = 0;
  }

  void finishLever() {
    if (lever != null) {
      reports.add(new LeverReport(lever, considered, chosen, value));
      lever = null;
    }
  }

  void considered() {
    considered++;
  }

  void leave(String subject, String reason) {
    if (notChosen.size() < NOT_CHOSEN_LISTED) {
      notChosen.add(new NotChosen(lever, subject, reason));
    }
  }

  /**
   * Whether a migration of {@code vm} is allowed at all, whatever the destination: it must be
   * running, known to the planner as placed, not pinned, not moved within the cool-down, with no
   * decision of its own still under way, and the cell must not be at its cap of migrations.
   */
  String migrationRefusal(VmRecord vm) {
    if (!placement.placed(vm)) {
      return "not placed on a host of the cell";
    }
    if (vm.pinned) {
      return "pinned; pinned VMs never move";
    }
    if (vm.hasPending()) {
      return "a " + vm.pendingAction + " of it is still under way";
    }
    if (!"RUNNING".equals(vm.state) && !"PAGED_OUT".equals(vm.state)) {
      return "it is " + vm.state;
    }
    if (inCooldown(vm)) {
      return "acted on at " + Micros.instant(vm.lastActedMicros) + ", within the cool-down of " + settings.cooldown().toMinutes() + " min";
    }
    if (placement.cellMigrations() >= settings.maxMigrationsPerCell()) {
      return "the cell already has " + placement.cellMigrations() + " migrations under way";
    }
    if (placement.migrations(placement.hostOf(vm)) >= settings.maxMigrationsPerHost()) {
      return "its host is already part of " + placement.migrations(placement.hostOf(vm)) + " migrations";
    }
    return null;
  }

  /** Whether the VM was acted on (other than swapped in) within the cool-down. */
  boolean inCooldown(VmRecord vm) {
    return vm.lastActedMicros > 0 && nowMicros() - vm.lastActedMicros < settings.cooldown().toNanos() / 1000;
  }

  /** Decides to move {@code vm} to host {@code h}, with what it is expected to gain. */
  Decision migrate(VmRecord vm, int h, String reason, Benefit benefit, double expectedValue) {
    HostRecord from = placement.host(placement.hostOf(vm));
    HostRecord to = placement.host(h);
    long bytes = vm.bytesToSend(to.hostId);
    boolean sibling = to.physicalMachineId != null && to.physicalMachineId.equals(from.physicalMachineId);
    long sent = sibling ? 0 : bytes;
    Map<String, String> parameters = new TreeMap<>();
    parameters.put("bytesToSend", Long.toString(sent));
    parameters.put("reusedBytes", Long.toString(vm.memoryBytes - bytes));
    if (sibling) {
      parameters.put("zeroCopy", "same physical machine " + to.physicalMachineId);
    }
    Decision decision = decision(Action.MIGRATE, vm.vmId, from.hostId, to.hostId, parameters, reason, benefit,
        new Cost(sent, 0L, 0L));
    placement.move(vm, h);
    pending(vm, decision, to.hostId);
    chosen(decision, expectedValue);
    return decision;
  }

  /** Decides a VM-level action other than a migration (page out, swap in). */
  Decision act(Action action, VmRecord vm, Map<String, String> parameters, String reason, Benefit benefit, Cost cost,
      double expectedValue) {
    Decision decision = decision(action, vm.vmId, vm.hostId, null, parameters, reason, benefit, cost);
    pending(vm, decision, null);
    chosen(decision, expectedValue);
    return decision;
  }

  /** Decides a host-wide action (KSM on or off). */
  Decision actOnHost(Action action, HostRecord host, String reason, Benefit benefit, double expectedValue) {
    Decision decision = decision(action, null, host.hostId, null, Map.of(), reason, benefit, new Cost(0L, 0L, 0L));
    changedHosts.add(host);
    chosen(decision, expectedValue);
    return decision;
  }

  /** Asks the page-generations job what moving {@code vm} to {@code hostId} would send. */
  void ask(VmRecord vm, String hostId) {
    requests.add(new GenerationRequest(vm.vmId, hostId, now));
  }

  private void pending(VmRecord vm, Decision decision, String destination) {
    if (decision.getAction() != Action.SWAP_IN) {
      vm.lastActedMicros = nowMicros();
    }
    vm.pendingDecisionId = decision.getDecisionId();
    vm.pendingAction = decision.getAction().name();
    vm.pendingDestination = destination;
    vm.pendingDeadlineMicros = Micros.of(decision.getDeadline());
    changed.add(vm);
  }

  private void chosen(Decision decision, double expectedValue) {
    decisions.add(decision);
    chosen++;
    value += expectedValue;
  }

  private Decision decision(Action action, String vmId, String hostId, String destination, Map<String, String> parameters,
      String reason, Benefit benefit, Cost cost) {
    return Decision.newBuilder()
        .setDecisionId(DecisionIds.of(cell.cellId(), now, action, vmId, hostId, destination))
        .setCreatedAt(now)
        .setAction(action)
        .setVmId(vmId)
        .setHostId(hostId)
        .setDestinationHostId(destination)
        .setParameters(parameters)
        .setReason(reason)
        .setExpectedBenefit(benefit)
        .setExpectedCost(cost)
        .setDeadline(now.plus(settings.decisionLifetime()))
        .build();
  }

  void markChanged(VmRecord vm) {
    changed.add(vm);
  }

  List<Decision> decisions() {
    return decisions;
  }

  List<GenerationRequest> requests() {
    return requests;
  }

  List<LeverReport> reports() {
    return reports;
  }

  List<NotChosen> notChosen() {
    return notChosen;
  }

  Set<VmRecord> changed() {
    return changed;
  }

  Set<HostRecord> changedHosts() {
    return changedHosts;
  }
}
