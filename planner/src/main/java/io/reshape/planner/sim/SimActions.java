package io.reshape.planner.sim;

import io.reshape.events.Action;
import io.reshape.events.InventoryRecord;
import io.reshape.events.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Carries actions out on the simulated datacenter, as the host executors' drivers do on real
 * hosts: a migration from the step its decision falls in and as far into it, a page-out keeping
 * the resident bytes the decision names, a swap-in, KSM on or off. Checks come first; a refusal
 * changes nothing and says so. A migration is asked of both its hosts: the source carries it out,
 * the destination only acknowledges it.
 */
public final class SimActions {

  /** What actuations of the simulated datacenter are signed with. */
  public static final String DRIVER = "sim";

  private final PlanetLabFleet fleet;

  public SimActions(PlanetLabFleet fleet) {
    this.fleet = fleet;
  }

  /**
   * What applying one action did.
   *
   * @param observed the VM as the inventory sees it afterwards, when the action moved it
   */
  public record Result(Outcome outcome, String detail, Optional<InventoryRecord> observed) {

    static Result refused(String why) {
      return new Result(Outcome.FAILED, "Nothing changed: " + why, Optional.empty());
    }

    static Result applied(String what) {
      return new Result(Outcome.APPLIED, what, Optional.empty());
    }
  }

  /**
   * Applies {@code action} on host {@code hostId}, decided at {@code decidedAt}.
   *
   * @param destinationHostId a migration's destination; null otherwise
   */
  public Result apply(Action action, String vmId, String hostId, String destinationHostId, Map<String, String> parameters,
      Instant decidedAt) {
    SimDatacenter dc = fleet.datacenter();
    Integer host = fleet.host(hostId);
    if (host == null) {
      return Result.refused("no host " + hostId + " in the simulated datacenter");
    }
    if (action == Action.ENABLE_KSM || action == Action.DISABLE_KSM) {
      dc.ksm(host, action == Action.ENABLE_KSM);
      return Result.applied("KSM " + (action == Action.ENABLE_KSM ? "on" : "off") + " on " + hostId);
    }
    Integer vm = vmId == null ? null : fleet.vm(vmId);
    if (vm == null) {
      return Result.refused("no VM " + vmId + " in the simulated datacenter");
    }
    return switch (action) {
      case MIGRATE -> migrate(vm, host, destinationHostId, decidedAt);
      case PAGE_OUT -> done(dc.pageOut(vm, Long.parseLong(parameters.getOrDefault("residentBytes", "0")) / (double) (1L << 20)),
          "Paged " + vmId + " out");
      case SWAP_IN -> done(dc.swapIn(vm), "Swapped " + vmId + " back in");
      default -> Result.refused("the simulated datacenter cannot " + action);
    };
  }

  private Result migrate(int vm, int host, String destinationHostId, Instant decidedAt) {
    SimDatacenter dc = fleet.datacenter();
    Integer to = destinationHostId == null ? null : fleet.host(destinationHostId);
    if (to == null) {
      return Result.refused("no destination host " + destinationHostId);
    }
    if (host == to) {
      return Result.applied("Ready to receive " + fleet.vmId(vm) + " from " + fleet.hostId(dc.hostOf(vm)));
    }
    if (dc.hostOf(vm) != host) {
      return Result.refused(fleet.vmId(vm) + " is on " + fleet.hostId(dc.hostOf(vm)) + ", not " + fleet.hostId(host));
    }
    int step = fleet.stepOf(decidedAt);
    if (step != dc.nextStep()) {
      return Result.refused("decided for step " + step + " while the datacenter is at step " + dc.nextStep());
    }
    double into = Duration.between(fleet.stepStart(step), decidedAt).toNanos() / 1e9;
    Optional<String> refusal = dc.migrate(vm, to, into);
    if (refusal.isPresent()) {
      return Result.refused(refusal.get());
    }
    double seconds = dc.day().type(vm).migrationSeconds();
    Instant done = decidedAt.plusNanos(Math.round(seconds * 1e9));
    return new Result(Outcome.APPLIED, "Migrated " + fleet.vmId(vm) + " to " + destinationHostId + " in "
        + Math.round(seconds * 10) / 10.0 + " s (" + dc.day().type(vm).ramMb() + " MB at 62.5 MB/s)",
        Optional.of(new InventoryRecord(done, fleet.vmInventory(vm))));
  }

  private static Result done(Optional<String> refusal, String what) {
    return refusal.map(Result::refused).orElseGet(() -> Result.applied(what));
  }
}
