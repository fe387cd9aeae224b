package io.reshape.jobs.cluster;

import io.reshape.jobs.analytics.AnalyticsJobs;
import io.reshape.jobs.analytics.AnalyticsSettings;
import io.reshape.schemas.KafkaConnection;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What the job jar is told when a Flink cluster runs it, read once from the environment of the
 * JobManager's process and logged at start. The cluster's own configuration (state backend,
 * checkpoint storage, restart strategy) stays the cluster's.
 *
 * @param kafka the cluster and registry ({@code KAFKA_*}, {@code SCHEMA_REGISTRY_*})
 * @param part what this job runs ({@code RESHAPE_JOBS}: {@code all}, the default, {@code analytics} or {@code planner})
 * @param checkpointInterval how often the job checkpoints, which is when its exactly-once outputs
 *     become visible ({@code RESHAPE_CHECKPOINT_INTERVAL_S}, default 10)
 */
public record JobsConfig(KafkaConnection kafka, AnalyticsJobs.Part part, Duration checkpointInterval) {

  public JobsConfig {
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("RESHAPE_CHECKPOINT_INTERVAL_S: the job needs checkpoints, every second at least");
    }
  }

  public static JobsConfig fromEnv(Map<String, String> env) {
    return new JobsConfig(KafkaConnection.fromEnv(env), part(env.getOrDefault("RESHAPE_JOBS", "all")),
        Duration.ofSeconds(seconds(env.getOrDefault("RESHAPE_CHECKPOINT_INTERVAL_S", "10"))));
  }

  /** The Flink job's name: {@code reshape-analytics}, {@code reshape-analytics-planner}, ... */
  public String jobName() {
    return part == AnalyticsJobs.Part.ALL ? AnalyticsJobs.NAME : AnalyticsJobs.NAME + "-" + part.name().toLowerCase(Locale.ROOT);
  }

  public AnalyticsSettings analytics() {
    return AnalyticsSettings.defaults();
  }

  private static AnalyticsJobs.Part part(String name) {
    try {
      return AnalyticsJobs.Part.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("RESHAPE_JOBS: '" + name + "' is none of all, analytics and planner");
    }
  }

  private static long seconds(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("RESHAPE_CHECKPOINT_INTERVAL_S: '" + value + "' is not a number of seconds");
    }
  }
}
