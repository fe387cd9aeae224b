package io.reshape.local;

import io.reshape.actuator.coordinator.CoordinatorSettings;
import io.reshape.jobs.analytics.AnalyticsSettings;
import java.time.Duration;

/**
 * How the pipeline runs on one machine.
 *
 * @param parallelism Flink parallelism (task slots of the MiniCluster, shared among its TaskManagers)
 * @param taskManagers TaskManagers of the MiniCluster, each with its share of the slots
 * @param checkpointInterval Flink checkpoint interval; the analytics' records and committed input
 *     offsets appear when a checkpoint commits, decisions as soon as made
 * @param restartOnFailure whether Flink restarts a failed job (a run) or fails at once (a test)
 * @param flinkMetricsPort port of Flink's Prometheus reporter, on loopback; 0 runs none
 */
public record PipelineSettings(
    int parallelism,
    int taskManagers,
    Duration checkpointInterval,
    boolean restartOnFailure,
    AnalyticsSettings analytics,
    CoordinatorSettings coordinator,
    int flinkMetricsPort) {

  public PipelineSettings {
    if (parallelism < 1 || taskManagers < 1 || taskManagers > parallelism) {
      throw new IllegalArgumentException("Need at least one slot for each of at least one TaskManager, not " + taskManagers
          + " TaskManagers for parallelism " + parallelism);
    }
  }

  /** On one TaskManager, without a metrics reporter. */
  public PipelineSettings(int parallelism, Duration checkpointInterval, boolean restartOnFailure, AnalyticsSettings analytics,
      CoordinatorSettings coordinator) {
    this(parallelism, 1, checkpointInterval, restartOnFailure, analytics, coordinator, 0);
  }
}
