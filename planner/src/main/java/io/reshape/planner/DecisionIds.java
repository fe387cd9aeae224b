package io.reshape.planner;

import io.reshape.events.Action;
import io.reshape.schemas.Micros;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A decision's id follows from what it decides and the cycle that decided it, so a cycle planned
 * again (after a restore, in a replay) decides under the same ids, and the coordinator, which acts
 * on an id once, applies nothing twice.
 */
public final class DecisionIds {

  private DecisionIds() {}

  /** The id of {@code action} on a VM (null for a host-wide one) at {@code hostId}, to {@code destination} if it moves. */
  public static String of(String cellId, Instant cycle, Action action, String vmId, String hostId, String destination) {
    String identity = cellId + "|" + Micros.of(cycle) + "|" + action + "|" + vmId + "|" + hostId + "|" + destination;
    return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
