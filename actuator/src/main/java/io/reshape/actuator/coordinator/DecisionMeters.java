package io.reshape.actuator.coordinator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.reshape.events.Action;
import io.reshape.events.Outcome;
import java.util.Locale;

/**
 * The coordinator's meter {@code reshape.coordinator.decisions}: decisions judged, by action and
 * verdict ({@code accepted}, {@code duplicate} for a decision id seen before, or the outcome of a
 * refusal: {@code rejected}, {@code expired}).
 */
public final class DecisionMeters {

  private final MeterRegistry registry;

  public DecisionMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void accepted(Action action) {
    judged(action, "accepted");
  }

  void duplicate(Action action) {
    judged(action, "duplicate");
  }

  void refused(Action action, Outcome outcome) {
    judged(action, outcome.name().toLowerCase(Locale.ROOT));
  }

  private void judged(Action action, String verdict) {
    Counter.builder("reshape.coordinator.decisions").description("Decisions judged by the coordinator.")
        .tag("action", action.name()).tag("verdict", verdict).register(registry).increment();
  }
}
