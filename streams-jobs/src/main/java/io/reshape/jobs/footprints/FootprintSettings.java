package io.reshape.jobs.footprints;

import io.reshape.jobs.kafka.EventTime;
import java.io.Serializable;
import java.time.Duration;

/**
 * How the footprints job averages and publishes.
 *
 * @param halfLife after this long a signal weighs half as much in the averages
 * @param emissionInterval each VM's footprint is published at every multiple of this interval (event time)
 * @param topPeers how many peers a footprint lists, largest first
 * @param affinityBytesPerSecond a pair of VMs whose traffic, both directions added, reaches this is an affinity
 * @param maxPeers how many peers each VM keeps after an emission, the weakest dropped first (twice as many
 *     are taken in until the next one)
 * @param eventTime how its inputs give event time
 */
public record FootprintSettings(
    Duration halfLife,
    Duration emissionInterval,
    int topPeers,
    double affinityBytesPerSecond,
    int maxPeers,
    EventTime eventTime) implements Serializable {

  public FootprintSettings {
    if (halfLife.toMillis() < 1 || emissionInterval.toMillis() < 1) {
      throw new IllegalArgumentException("halfLife and emissionInterval must be at least 1 ms, not "
          + halfLife + " and " + emissionInterval);
    }
    if (topPeers < 1 || maxPeers < topPeers) {
      throw new IllegalArgumentException("Need 1 <= topPeers <= maxPeers, not topPeers " + topPeers + " and maxPeers " + maxPeers);
    }
    if (!(affinityBytesPerSecond > 0) || Double.isInfinite(affinityBytesPerSecond)) {
      throw new IllegalArgumentException("affinityBytesPerSecond must be a positive number, not " + affinityBytesPerSecond);
    }
  }

  /**
   * Five-minute averages published every 30 s, so a placement follows sustained behaviour rather
   * than bursts; the 16 largest peers; pairs exchanging 100 kB/s or more are affinities.
   */
  public static FootprintSettings defaults() {
    return new FootprintSettings(Duration.ofMinutes(5), Duration.ofSeconds(30), 16, 100_000, 256,
        EventTime.defaults());
  }

  public FootprintSettings withHalfLife(Duration halfLife) {
    return new FootprintSettings(halfLife, emissionInterval, topPeers, affinityBytesPerSecond, maxPeers,
        eventTime);
  }

  public FootprintSettings withEmissionInterval(Duration emissionInterval) {
    return new FootprintSettings(halfLife, emissionInterval, topPeers, affinityBytesPerSecond, maxPeers,
        eventTime);
  }

  public FootprintSettings withPeers(int topPeers, int maxPeers) {
    return new FootprintSettings(halfLife, emissionInterval, topPeers, affinityBytesPerSecond, maxPeers,
        eventTime);
  }

  public FootprintSettings withAffinityBytesPerSecond(double affinityBytesPerSecond) {
    return new FootprintSettings(halfLife, emissionInterval, topPeers, affinityBytesPerSecond, maxPeers,
        eventTime);
  }

  public FootprintSettings withEventTime(EventTime eventTime) {
    return new FootprintSettings(halfLife, emissionInterval, topPeers, affinityBytesPerSecond, maxPeers, eventTime);
  }
}
