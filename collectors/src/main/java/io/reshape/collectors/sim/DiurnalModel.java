package io.reshape.collectors.sim;

import java.time.Duration;
import java.time.Instant;

/** Busy by day, nearly idle by night, on a day of configurable length. */
final class DiurnalModel implements WorkloadModel {

  private final double daySeconds;
  private final double phase;
  private final Activity peak;
  private final Activity night;

  DiurnalModel(Duration day, double phase, Activity peak, Activity night) {
    this.daySeconds = day.toMillis() / 1000.0;
    this.phase = phase;
    this.peak = peak;
    this.night = night;
  }

  @Override
  public Activity next(Instant start, double seconds) {
    double dayFraction = (start.toEpochMilli() / 1000.0 / daySeconds + phase) % 1.0;
    double load = Math.max(0, Math.sin(2 * Math.PI * dayFraction));
    return new Activity(
        night.cpu() + load * (peak.cpu() - night.cpu()),
        night.dirtyShare() + load * (peak.dirtyShare() - night.dirtyShare()),
        night.trafficBytesPerSecond() + load * (peak.trafficBytesPerSecond() - night.trafficBytesPerSecond()));
  }
}
