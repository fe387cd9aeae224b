package io.reshape.actuator.executor;

import io.reshape.events.Outcome;

/**
 * What a driver did: the outcome and, in words, what exactly.
 *
 * @param pagedOutBytes what a page-out took out of RAM, as the host measured it; 0 for other actions
 */
public record DriverResult(Outcome outcome, String detail, long pagedOutBytes) {

  public DriverResult(Outcome outcome, String detail) {
    this(outcome, detail, 0);
  }

  /** A precondition failed before any side effect: rejected, saying why and that nothing was changed. */
  public static DriverResult refused(String why) {
    return new DriverResult(Outcome.REJECTED, why + "; nothing was changed");
  }
}
