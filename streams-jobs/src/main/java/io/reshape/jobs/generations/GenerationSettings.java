package io.reshape.jobs.generations;

import io.reshape.jobs.kafka.EventTime;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * How the page-generations job keeps and publishes what it knows.
 *
 * @param windows the written-set windows, shortest first
 * @param ringSize epochs of history kept for them (at 1 s intervals, 1024 reach 17 minutes)
 * @param maxImages images remembered per VM
 * @param imageRetention how long a host is trusted to keep an image a VM left there
 * @param publishEvery event time between two publications of a VM's answers and written sets
 * @param eventTime how its inputs give event time
 */
public record GenerationSettings(
    List<Duration> windows,
    int ringSize,
    int maxImages,
    Duration imageRetention,
    Duration publishEvery,
    EventTime eventTime) implements Serializable {

  public GenerationSettings {
    windows = List.copyOf(windows);
    if (windows.isEmpty() || ringSize < 2 || maxImages < 1) {
      throw new IllegalArgumentException("Need at least one window, a ring of 2 epochs and room for 1 image");
    }
  }

  /** Windows of 1, 5 and 15 minutes; 8 images kept a day; published every 10 s. */
  public static GenerationSettings defaults() {
    return new GenerationSettings(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15)), 1024, 8,
        Duration.ofDays(1), Duration.ofSeconds(10), EventTime.defaults());
  }

  public GenerationSettings withEventTime(EventTime eventTime) {
    return new GenerationSettings(windows, ringSize, maxImages, imageRetention, publishEvery, eventTime);
  }
}
