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
 * @param oldest how long the oldest of them has been waiting (by its timestamp, the time its
 *     collector stamped on it); zero for a stage that committed everything
 * @param cpu CPU time the run's processes (this JVM, the broker, the registry) have used so far
 * @param residentBytes their resident memory now
 * @param stateBytes bytes of the analytics' checkpointed state now
 * @param processCpu CPU time so far by process: the pipeline's JVM, the broker, the registry
 * @param threadCpu CPU time so far of the pipeline JVM's threads, Java's and native (RocksDB's), by
 *     thread name with its numbers taken out
 */
public record LoadSample(Instant at, Map<String, Long> endOffsets, Map<Stage, Long> behind, Map<Stage, Duration> oldest,
    Duration cpu, long residentBytes,
    long stateBytes, Map<String, Duration> processCpu, Map<String, Duration> threadCpu) {

  public LoadSample {
    endOffsets = Map.copyOf(endOffsets);
    behind = Map.copyOf(behind);
    oldest = Map.copyOf(oldest);
    processCpu = Map.copyOf(processCpu);
    threadCpu = Map.copyOf(threadCpu);
  }
}
