package io.reshape.local;

import io.reshape.actuator.coordinator.CoordinatorSettings;
import io.reshape.jobs.analytics.AnalyticsSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One job in a MiniCluster as the local stack runs them (RocksDB, checkpoints every second,
 * exactly-once sinks) but at parallelism 1: what one core does.
 */
public final class JobRunner implements AutoCloseable {

  private final JobClient job;
  private final Instant runningSince;

  private JobRunner(JobClient job, Instant runningSince) {
    this.job = job;
    this.runningSince = runningSince;
  }

  public static JobRunner start(LocalStack stack, String name, Consumer<StreamExecutionEnvironment> addJob) throws Exception {
    PipelineSettings settings = new PipelineSettings(1, Duration.ofSeconds(1), false, AnalyticsSettings.defaults(),
        CoordinatorSettings.defaults());
    StreamExecutionEnvironment env = LocalFlink.environment(settings, stack.dir().resolve("checkpoints-" + name));
    addJob.accept(env);
    JobClient job = env.executeAsync(name);
    while (job.getJobStatus().get(5, TimeUnit.SECONDS) != JobStatus.RUNNING) {
      if (job.getJobStatus().get(5, TimeUnit.SECONDS).isTerminalState()) {
        throw new IllegalStateException("Job " + name + " ended while starting");
      }
      Thread.sleep(50);
    }
    return new JobRunner(job, Instant.now());
  }

  public Instant runningSince() {
    return runningSince;
  }

  public void assertRunning() throws Exception {
    JobStatus status = job.getJobStatus().get(5, TimeUnit.SECONDS);
    if (status != JobStatus.RUNNING) {
      throw new IllegalStateException("The job is " + status);
    }
  }

  @Override
  public void close() throws Exception {
    job.cancel().get(30, TimeUnit.SECONDS);
  }
}
