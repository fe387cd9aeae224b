package io.reshape.actuator.coordinator;

import io.reshape.actuator.HostActions;
import io.reshape.schemas.Topics;
import java.time.Duration;

/**
 * Guardrails of the coordinator.
 *
 * @param cooldown least event time between two actions on one VM (a swap-in never waits: a VM that
 *     wakes must get its memory back at once)
 * @param decisionMemory how long decision ids are remembered to refuse repeats; a decision older
 *     than this is refused, and it may not be shorter than the retention of {@code decisions}, so
 *     every decision the topic still holds is one the coordinator remembers or refuses
 * @param hostActions the hosts' allowlists: an action a host with one does not grant is refused
 */
public record CoordinatorSettings(Duration cooldown, Duration decisionMemory, HostActions hostActions) {

  public CoordinatorSettings {
    if (cooldown.isNegative()) {
      throw new IllegalArgumentException("cooldown must not be negative");
    }
    if (decisionMemory.compareTo(Topics.DECISIONS.retention()) < 0) {
      throw new IllegalArgumentException("decisionMemory (" + decisionMemory + ") must be at least the retention of "
          + Topics.DECISIONS + " (" + Topics.DECISIONS.retention() + "): a repeat read from the topic could be acted on again");
    }
  }

  public static CoordinatorSettings defaults() {
    return new CoordinatorSettings(Duration.ofMinutes(5), Topics.DECISION_MEMORY, HostActions.dryRun());
  }
}
