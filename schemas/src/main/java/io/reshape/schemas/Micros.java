package io.reshape.schemas;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Event times as microseconds since the epoch, the unit of the schemas' timestamps. */
public final class Micros {

  private Micros() {}

  public static long of(Instant instant) {
    return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
  }

  public static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
