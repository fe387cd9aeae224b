package io.reshape.actuator.executor;

import io.reshape.events.Outcome;

/** What a driver did: the outcome and, in words, what exactly. */
public record DriverResult(Outcome outcome, String detail) {

  /** A precondition failed before any side effect: rejected, saying why and that nothing was changed. */
  public static DriverResult refused(String why) {
    return new DriverResult(Outcome.REJECTED, why + "; nothing was changed");
  }
}
