package io.reshape.actuator.coordinator;

import java.time.Duration;

/**
 * Guardrails of the coordinator.
 *
 * @param cooldown least event time between two actions on one VM (a swap-in never waits: a VM that
 *     wakes must get its memory back at once)
 * @param decisionMemory how long decision ids are remembered to refuse repeats
 */
public record CoordinatorSettings(Duration cooldown, Duration decisionMemory) {

  public CoordinatorSettings {
    if (cooldown.isNegative() || decisionMemory.isNegative() || decisionMemory.isZero()) {
      throw new IllegalArgumentException("cooldown must not be negative and decisionMemory must be positive");
    }
  }

  public static CoordinatorSettings defaults() {
    return new CoordinatorSettings(Duration.ofMinutes(5), Duration.ofDays(7));
  }
}
