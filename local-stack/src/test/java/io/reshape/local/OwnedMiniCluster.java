package io.reshape.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A MiniCluster set up as the local stack's ({@link LocalFlink}: RocksDB, retained exactly-once
 * checkpoints, no restart), owned by a test: its jobs take a checkpoint only when the test asks
 * (see {@link CheckpointedJob}).
 */
final class OwnedMiniCluster implements AutoCloseable {

  /**
   * The periodic checkpoint interval and the least pause between checkpoints: Flink takes the first
   * periodic one at a random time between the two, a day away. Checkpoints the test asks for do
   * not wait for the pause.
   */
  private static final Duration NEVER = Duration.ofDays(1);

  private final int parallelism;
  private final Path checkpoints;
  private final Configuration config;
  private final MiniCluster cluster;
  private final RestClusterClient<StandaloneClusterId> client;

  private OwnedMiniCluster(int parallelism, Path checkpoints, Configuration config, MiniCluster cluster,
      RestClusterClient<StandaloneClusterId> client) {
    this.parallelism = parallelism;
    this.checkpoints = checkpoints;
    this.config = config;
    this.cluster = cluster;
    this.client = client;
  }

  /**
   * @param checkpoints where the jobs' checkpoints go, each under its job id
   * @param restPort the REST API's port on 127.0.0.1; 0 for any
   */
  static OwnedMiniCluster start(int parallelism, Path checkpoints, int restPort) throws Exception {
    Configuration config = LocalFlink.configuration(parallelism, 1, NEVER, false, checkpoints);
    config.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, NEVER);
    config.set(RestOptions.BIND_PORT, Integer.toString(restPort));
    MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(config)
        .setCommonBindAddress("127.0.0.1")
        .setNumTaskManagers(1)
        .setNumSlotsPerTaskManager(parallelism)
        .build());
    cluster.start();
    try {
      return new OwnedMiniCluster(parallelism, checkpoints, config, cluster, CheckpointedJob.client(cluster.getRestAddress().get()));
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * Submits a job and waits until all its tasks run.
   *
   * @param job adds the job's sources, operators and sinks
   * @param restoreFrom a retained checkpoint to start from; null to start afresh
   */
  CheckpointedJob submit(String name, Consumer<StreamExecutionEnvironment> job, Path restoreFrom) throws Exception {
    Configuration jobConfig = new Configuration(config);
    if (restoreFrom != null) {
      jobConfig.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toUri().toString());
    }
    StreamExecutionEnvironment env = new StreamExecutionEnvironment(jobConfig);
    env.setParallelism(parallelism);
    job.accept(env);
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(name);
    JobID id = cluster.submitJob(graph).get().getJobID();
    CheckpointedJob submitted = new CheckpointedJob(client, id, checkpoints);
    submitted.awaitRunning();
    return submitted;
  }

  /** Waits as long as it takes for the job to end. */
  JobResult awaitEnd(JobID job) throws Exception {
    return cluster.requestJobResult(job).get();
  }

  @Override
  public void close() throws Exception {
    client.close();
    cluster.closeAsync().get(60, TimeUnit.SECONDS);
  }
}
