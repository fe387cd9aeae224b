package io.reshape.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;

/**
 * A running Flink job whose checkpoints the test takes, through the REST API of its MiniCluster (in
 * this JVM or in a child's). Its periodic checkpoints are effectively off (see {@link
 * OwnedMiniCluster}), so its exactly-once sinks commit what they wrote when the test asks for a
 * checkpoint and at no other time.
 */
final class CheckpointedJob {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final RestClusterClient<StandaloneClusterId> client;
  private final JobID id;
  private final Path checkpoints;

  CheckpointedJob(RestClusterClient<StandaloneClusterId> client, JobID id, Path checkpoints) {
    this.client = client;
    this.id = id;
    this.checkpoints = checkpoints;
  }

  /** A client of the REST API at {@code rest}; the caller closes it. */
  static RestClusterClient<StandaloneClusterId> client(URI rest) throws Exception {
    Configuration config = new Configuration();
    config.set(RestOptions.ADDRESS, rest.getHost());
    config.set(RestOptions.PORT, rest.getPort());
    // Everything is on this machine: a request that fails says so at once, not after retries.
    config.set(RestOptions.RETRY_MAX_ATTEMPTS, 0);
    return new RestClusterClient<>(config, StandaloneClusterId.getInstance());
  }

  /** The cluster's only job, once it and all its tasks run; empty until then. */
  static Optional<CheckpointedJob> runningOnlyJob(RestClusterClient<StandaloneClusterId> client, Path checkpoints) throws Exception {
    Collection<JobStatusMessage> jobs = client.listJobs().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    if (jobs.size() != 1) {
      return Optional.empty();
    }
    CheckpointedJob job = new CheckpointedJob(client, jobs.iterator().next().getJobId(), checkpoints);
    return job.running() ? Optional.of(job) : Optional.empty();
  }

  JobID id() {
    return id;
  }

  /** Whether the job runs and every one of its tasks too: only then can it take a checkpoint. */
  boolean running() throws Exception {
    JobDetailsInfo details = client.getJobDetails(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    if (details.getJobStatus().isTerminalState()) {
      throw new IllegalStateException("Job " + id + " is " + details.getJobStatus());
    }
    return details.getJobStatus() == JobStatus.RUNNING && details.getJobVertexInfos().stream()
        .allMatch(vertex -> vertex.getTasksPerState().entrySet().stream()
            .allMatch(tasks -> tasks.getKey() == ExecutionState.RUNNING || tasks.getValue() == 0));
  }

  void awaitRunning() throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    while (!running()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("Job " + id + " did not run within " + WAIT.toSeconds() + " s");
      }
      Thread.sleep(100);
    }
  }

  /**
   * Takes a checkpoint and waits until it is complete: what the sinks wrote before it is committed
   * (Flink commits the transactions right after completing it), what they write after it is not.
   *
   * @return the checkpoint's directory, which outlives the job
   */
  Path checkpoint() throws Exception {
    long checkpoint = client.triggerCheckpoint(id, CheckpointType.CONFIGURED).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Path dir = checkpoints.resolve(id.toHexString()).resolve("chk-" + checkpoint);
    if (!Files.exists(dir.resolve("_metadata"))) {
      throw new IllegalStateException("Checkpoint " + checkpoint + " completed, but " + dir + " holds no metadata");
    }
    return dir;
  }

  /** Cancels the job and waits until it has ended. */
  void cancel() throws Exception {
    client.cancel(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Instant deadline = Instant.now().plus(WAIT);
    while (!client.getJobStatus(id).get(WAIT.toSeconds(), TimeUnit.SECONDS).isGloballyTerminalState()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("Job " + id + " did not end within " + WAIT.toSeconds() + " s of its cancel");
      }
      Thread.sleep(100);
    }
  }
}
