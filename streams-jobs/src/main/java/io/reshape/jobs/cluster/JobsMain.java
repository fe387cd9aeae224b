package io.reshape.jobs.cluster;

import io.reshape.jobs.analytics.AnalyticsJobs;
import io.reshape.schemas.serde.TrustedPackages;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the job jar ({@code reshape-jobs.jar}) that a Flink cluster runs, in
 * application or session mode: the analytics and the planner, together or apart
 * ({@link JobsConfig}). The TaskManagers must trust Avro's record classes too:
 * {@code env.java.opts.all: -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.reshape.events}.
 */
public final class JobsMain {

  private static final Logger LOG = LoggerFactory.getLogger(JobsMain.class);

  private JobsMain() {}

  /** Adds the configured part to {@code env}, checkpointing exactly once at the configured interval. */
  public static void addTo(StreamExecutionEnvironment env, JobsConfig config) {
    Configuration checkpoints = new Configuration();
    checkpoints.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
    checkpoints.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    env.configure(checkpoints);
    AnalyticsJobs.addTo(env, config.kafka(), config.analytics(), config.part());
  }

  public static void main(String[] args) throws Exception {
    TrustedPackages.trustEvents();
    JobsConfig config = JobsConfig.fromEnv(System.getenv());
    LOG.info("Reshape jobs: {}", config);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    addTo(env, config);
    env.execute(config.jobName());
  }
}
