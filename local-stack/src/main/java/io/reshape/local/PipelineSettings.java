package io.reshape.local;

import io.reshape.actuator.coordinator.CoordinatorSettings;
import io.reshape.jobs.analytics.AnalyticsSettings;
import java.time.Duration;

/**
 * How the pipeline runs on one machine.
 *
 * @param parallelism Flink parallelism (task slots of the MiniCluster)
 * @param checkpointInterval Flink checkpoint interval; decisions become visible when a checkpoint
 *     commits their transaction, so this bounds their latency from below
 * @param restartOnFailure whether Flink restarts a failed job (a run) or fails at once (a test)
 */
public record PipelineSettings(
    int parallelism,
    Duration checkpointInterval,
    boolean restartOnFailure,
    AnalyticsSettings analytics,
    CoordinatorSettings coordinator) {}
