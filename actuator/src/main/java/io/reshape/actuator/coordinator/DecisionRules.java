package io.reshape.actuator.coordinator;

import io.reshape.events.Action;
import io.reshape.events.Decision;
import io.reshape.events.Outcome;
import io.reshape.events.VmInventory;
import io.reshape.events.VmState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The checks a decision passes before any host acts on it: the VM must be where the decision
 * thinks it is, in a state the action makes sense for, not pinned if it is to move, not acted on
 * moments ago, and the decision must still be in time. All in event time, so a replay judges the
 * same way, but one: a decision older than the coordinator remembers (by the wall clock) is refused,
 * since it may have been acted on and forgotten.
 */
public final class DecisionRules {

  private final CoordinatorSettings settings;

  public DecisionRules(CoordinatorSettings settings) {
    this.settings = settings;
  }

  /**
   * @param vm the VM's inventory record, or null when the inventory does not know it
   * @param lastAction event time of the last action accepted for the VM, or null
   * @param now event time of the coordinator (its stream time)
   * @param wallClock the time by the coordinator's clock
   */
  public Verdict judge(Decision decision, VmInventory vm, Instant lastAction, Instant now, Instant wallClock) {
    if (decision.getCreatedAt().isBefore(wallClock.minus(settings.decisionMemory()))) {
      return new Verdict.Refuse(Outcome.EXPIRED, "Decided at " + decision.getCreatedAt() + ", longer ago than the "
          + settings.decisionMemory().toDays() + " days the coordinator remembers decisions (now " + wallClock
          + "): it may have been acted on already");
    }
    if (now.isAfter(decision.getDeadline())) {
      return new Verdict.Refuse(Outcome.EXPIRED, "Deadline " + decision.getDeadline() + " passed (now " + now + ")");
    }
    Action action = decision.getAction();
    if (action == Action.UNKNOWN) {
      return reject("An action this coordinator does not know (written with a newer schema); nothing is done");
    }
    boolean hostWide = action == Action.ENABLE_KSM || action == Action.DISABLE_KSM;
    if (hostWide) {
      return accept(action, List.of(decision.getHostId()));
    }
    if (decision.getVmId() == null) {
      return reject(action + " needs a VM, and the decision names none");
    }
    if (vm == null) {
      return reject("VM " + decision.getVmId() + " is not in the inventory");
    }
    if (!vm.getHostId().equals(decision.getHostId())) {
      return reject("VM " + vm.getVmId() + " runs on " + vm.getHostId() + ", not on " + decision.getHostId());
    }
    if (vm.getState() == VmState.STOPPED) {
      return reject("VM " + vm.getVmId() + " is stopped");
    }
    if (vm.getState() == VmState.UNKNOWN) {
      return reject("VM " + vm.getVmId() + " is in a state this coordinator does not know (written with a newer schema)");
    }
    if (action == Action.MIGRATE) {
      String problem = migrationProblem(decision, vm);
      if (problem != null) {
        return reject(problem);
      }
    }
    if (action != Action.SWAP_IN && lastAction != null
        && Duration.between(lastAction, decision.getCreatedAt()).compareTo(settings.cooldown()) < 0) {
      return reject("VM " + vm.getVmId() + " was acted on at " + lastAction + ", less than the cool-down of "
          + settings.cooldown().toSeconds() + " s ago");
    }
    return accept(action, action == Action.MIGRATE
        ? List.of(decision.getHostId(), decision.getDestinationHostId())
        : List.of(decision.getHostId()));
  }

  /** Accepted, unless a host involved has an allowlist that does not grant the action. */
  private Verdict accept(Action action, List<String> hosts) {
    for (String host : hosts) {
      Optional<String> refusal = settings.hostActions().refusal(host, action);
      if (refusal.isPresent()) {
        return reject(refusal.get() + "; nothing is done");
      }
    }
    return new Verdict.Accept(hosts);
  }

  private static String migrationProblem(Decision decision, VmInventory vm) {
    if (vm.getPinned()) {
      return "VM " + vm.getVmId() + " is pinned; pinned VMs never move";
    }
    if (decision.getDestinationHostId() == null) {
      return "MIGRATE without a destination host";
    }
    if (decision.getDestinationHostId().equals(vm.getHostId())) {
      return "MIGRATE to the host the VM is already on";
    }
    return null;
  }

  private static Verdict reject(String reason) {
    return new Verdict.Refuse(Outcome.REJECTED, reason);
  }
}
