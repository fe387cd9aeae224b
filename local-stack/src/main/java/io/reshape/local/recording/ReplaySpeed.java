package io.reshape.local.recording;

import java.time.Instant;

/**
 * How fast a replay goes: {@code factor} times the recorded pace (1: as recorded), or, at
 * {@link #MAX}, as fast as the cluster takes records.
 */
public record ReplaySpeed(double factor) {

  public static final ReplaySpeed MAX = new ReplaySpeed(Double.POSITIVE_INFINITY);

  public ReplaySpeed {
    if (!(factor > 0)) {
      throw new IllegalArgumentException("A replay speed must be more than 0, was " + factor);
    }
  }

  /** Reads {@code max} or a number of times the recorded pace (1, 10, 0.5). */
  public static ReplaySpeed parse(String text) {
    String trimmed = text.trim();
    if (trimmed.equalsIgnoreCase("max")) {
      return MAX;
    }
    try {
      return new ReplaySpeed(Double.parseDouble(trimmed));
    } catch (IllegalArgumentException e) {
      // NumberFormatException is one too.
      throw new IllegalArgumentException("'" + text + "' is not a speed: a number of times the recorded pace, above 0"
          + " (1, 10, 0.5), or max");
    }
  }

  /** The schedule of a replay whose first record, stamped {@code firstTimestamp}, goes out at {@code start}. */
  public ReplaySchedule from(Instant start, long firstTimestamp) {
    return new ReplaySchedule(this, start, firstTimestamp);
  }

  @Override
  public String toString() {
    if (equals(MAX)) {
      return "max";
    }
    return (factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor)) + "x";
  }
}
