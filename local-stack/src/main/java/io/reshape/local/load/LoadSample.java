package io.reshape.local.load;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the load probe read at one moment.
 *
 * @param at when
 * @param endOffsets records ever written to each topic, by topic
 * @param behind records each stage (a consumer group on a topic) has not committed yet
 * @param cpu CPU time the run's processes (this JVM, the broker, the registry) have used so far
 * @param residentBytes their resident memory now
 * @param stateBytes bytes of the analytics' checkpointed state now
 */
public record LoadSample(Instant at, Map<String, Long> endOffsets, Map<Stage, Long> behind, Duration cpu, long residentBytes,
    long stateBytes) {

  public LoadSample {
    endOffsets = Map.copyOf(endOffsets);
    behind = Map.copyOf(behind);
  }
}
