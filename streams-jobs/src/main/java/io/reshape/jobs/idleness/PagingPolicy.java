package io.reshape.jobs.idleness;

import io.reshape.events.Action;
import io.reshape.events.Benefit;
import io.reshape.events.Cost;
import io.reshape.events.Decision;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Page an idle VM out once it has been idle long enough; bring it back when it wakes. Decision
 * ids are derived from the VM, the action and the event time, so replaying the same input yields
 * the same ids and the actuator can tell a repeat from a new decision.
 */
public final class PagingPolicy {

  /** Swap bandwidth assumed for the wake-up latency estimate: one SSD, 500 MB/s. */
  private static final double SWAP_BYTES_PER_SECOND = 500e6;

  private final Duration pageOutAfter;
  private final Duration decisionLifetime;

  /**
   * @param decisionLifetime how long after the event that prompted it a decision is still worth
   *     applying; its deadline
   */
  public PagingPolicy(Duration pageOutAfter, Duration decisionLifetime) {
    this.pageOutAfter = pageOutAfter;
    this.decisionLifetime = decisionLifetime;
  }

  /** When a VM idle since {@code idleSince} is due to be paged out. */
  public Instant pageOutDue(Instant idleSince) {
    return idleSince.plus(pageOutAfter);
  }

  /**
   * @param memoryBytes the VM's memory from the inventory, or null when the inventory lacks it
   */
  public Decision pageOut(String vmId, String hostId, Instant idleSince, Instant at, Long memoryBytes) {
    long bytes = memoryBytes == null ? 0 : memoryBytes;
    return decision(Action.PAGE_OUT, vmId, hostId, at,
        "Idle since " + idleSince + " (" + Duration.between(idleSince, at).toSeconds() + " s, threshold "
            + pageOutAfter.toSeconds() + " s)" + sizeNote(memoryBytes),
        Map.of("idleSince", idleSince.toString()),
        new Benefit(bytes, 0, 0.0, 0L),
        new Cost(bytes, 0L, Math.round(bytes / SWAP_BYTES_PER_SECOND * 1000)));
  }

  public Decision swapIn(String vmId, String hostId, Instant wokeAt, Long memoryBytes) {
    long bytes = memoryBytes == null ? 0 : memoryBytes;
    return decision(Action.SWAP_IN, vmId, hostId, wokeAt,
        "Active again since " + wokeAt + " after being paged out" + sizeNote(memoryBytes),
        Map.of(),
        new Benefit(-bytes, 0, 0.0, 0L),
        new Cost(bytes, 0L, 0L));
  }

  public static String decisionId(String vmId, Action action, Instant at) {
    return UUID.nameUUIDFromBytes((vmId + "|" + action + "|" + at).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private Decision decision(Action action, String vmId, String hostId, Instant at, String reason,
      Map<String, String> parameters, Benefit benefit, Cost cost) {
    return Decision.newBuilder()
        .setDecisionId(decisionId(vmId, action, at))
        .setCreatedAt(at)
        .setAction(action)
        .setVmId(vmId)
        .setHostId(hostId)
        .setDestinationHostId(null)
        .setParameters(parameters)
        .setReason(reason)
        .setExpectedBenefit(benefit)
        .setExpectedCost(cost)
        .setDeadline(at.plus(decisionLifetime))
        .build();
  }

  private static String sizeNote(Long memoryBytes) {
    return memoryBytes == null ? "; memory size unknown (VM not in the inventory)" : "";
  }
}
