package io.reshape.schemas;

import io.reshape.events.Outcome;

/** What the outcomes on {@code actuations} mean to a reader. */
public final class Outcomes {

  private Outcomes() {}

  /**
   * Whether {@code outcome} settles a command: how it ended, as opposed to a report on the way
   * (STARTED, IN_PROGRESS) or an outcome this version does not know.
   */
  public static boolean settled(Outcome outcome) {
    return switch (outcome) {
      case APPLIED, DRY_RUN, REJECTED, FAILED, EXPIRED, IN_DOUBT -> true;
      case STARTED, IN_PROGRESS, UNKNOWN -> false;
    };
  }
}
