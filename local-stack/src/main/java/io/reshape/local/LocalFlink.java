package io.reshape.local;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A Flink environment that runs jobs in a MiniCluster inside this JVM, on loopback. */
final class LocalFlink {

  /** The Prometheus reporter's keys, as a cluster's configuration names them. */
  static final ConfigOption<String> PROMETHEUS_FACTORY =
      ConfigOptions.key("metrics.reporter.prom.factory.class").stringType().noDefaultValue();
  static final ConfigOption<String> PROMETHEUS_PORT = ConfigOptions.key("metrics.reporter.prom.port").stringType().noDefaultValue();

  private LocalFlink() {}

  static StreamExecutionEnvironment environment(PipelineSettings settings, Path checkpoints) {
    Configuration config = configuration(settings.parallelism(), settings.taskManagers(), settings.checkpointInterval(),
        settings.restartOnFailure(), checkpoints);
    if (settings.flinkMetricsPort() > 0) {
      reportToPrometheus(config, settings.flinkMetricsPort());
    }
    return StreamExecutionEnvironment.createLocalEnvironment(settings.parallelism(), config);
  }

  /**
   * Serves the jobs' metrics on {@code port} of loopback, as a cluster's Prometheus reporter does
   * on 9249: one port for the whole MiniCluster, which runs every TaskManager in this JVM.
   */
  static void reportToPrometheus(Configuration config, int port) {
    config.set(PROMETHEUS_FACTORY, "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    config.set(PROMETHEUS_PORT, Integer.toString(port));
  }

  /** The MiniCluster's and its jobs' configuration: RocksDB, retained exactly-once checkpoints, loopback only. */
  static Configuration configuration(int parallelism, int taskManagers, Duration checkpointInterval, boolean restartOnFailure,
      Path checkpoints) {
    Configuration config = new Configuration();
    config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    config.set(RestOptions.ADDRESS, "127.0.0.1");
    config.set(RestOptions.BIND_PORT, "0");
    config.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    config.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
    config.set(TaskManagerOptions.HOST, "127.0.0.1");
    config.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    config.set(TaskManagerOptions.MINI_CLUSTER_NUM_TASK_MANAGERS, taskManagers);
    config.set(TaskManagerOptions.NUM_TASK_SLOTS, (parallelism + taskManagers - 1) / taskManagers);
    // Small memory pools, the machine is shared; RocksDB's caches live in the managed memory.
    config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("128m"));
    config.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("32m"));
    config.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("32m"));
    config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    config.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    config.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    config.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    // Kept when the job is cancelled, so a run with a data directory can be resumed from where it was.
    config.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    if (restartOnFailure) {
      config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
      config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(5));
    } else {
      config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    }
    return config;
  }
}
