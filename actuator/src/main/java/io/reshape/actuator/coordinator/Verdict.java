package io.reshape.actuator.coordinator;

import io.reshape.events.Outcome;
import java.util.List;

/** What the coordinator makes of a decision. */
public sealed interface Verdict {

  /** Carry it out on these hosts (the host of the action, and a migration's destination). */
  record Accept(List<String> hosts) implements Verdict {}

  /** Do not carry it out; {@code outcome} is REJECTED or EXPIRED. */
  record Refuse(Outcome outcome, String reason) implements Verdict {}
}
