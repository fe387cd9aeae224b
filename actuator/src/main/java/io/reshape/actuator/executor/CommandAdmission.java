package io.reshape.actuator.executor;

import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a command the journal has never seen may reach a driver now. Besides its deadline, its
 * age counts: a command decided longer ago than the journal remembers may have been applied and
 * forgotten (a consumer group reset to the earliest offset, a new executor group), so it is refused.
 *
 * @param journalRetention how long the journal remembers a command after it was decided and after
 *     the executor last touched it
 */
public record CommandAdmission(Duration journalRetention) {

  /** Why a command is not applied, and how that is reported. */
  public record Refusal(Outcome outcome, String reason) {}

  public Optional<Refusal> refusal(HostCommand command, Instant now) {
    if (command.getDecidedAt().isBefore(now.minus(journalRetention))) {
      return Optional.of(new Refusal(Outcome.EXPIRED, "Decided at " + command.getDecidedAt() + ", longer ago than the "
          + journalRetention.toDays() + " days this executor's journal remembers (now " + now
          + "): it may have been applied already, so it is not applied"));
    }
    if (now.isAfter(command.getDeadline())) {
      return Optional.of(new Refusal(Outcome.EXPIRED, "Deadline " + command.getDeadline() + " passed before the host got to it"));
    }
    if (command.getAction() == Action.UNKNOWN) {
      return Optional.of(new Refusal(Outcome.REJECTED,
          "An action this executor does not know (written with a newer schema); nothing was done"));
    }
    return Optional.empty();
  }
}
