package io.reshape.local;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reshape.actuator.StreamsSettings;
import io.reshape.actuator.coordinator.CoordinatorTopology;
import io.reshape.actuator.coordinator.DecisionMeters;
import io.reshape.actuator.executor.ActuationMeters;
import io.reshape.actuator.executor.CommandJournal;
import io.reshape.actuator.executor.CommandWorker;
import io.reshape.actuator.executor.Driver;
import io.reshape.actuator.executor.Drivers;
import io.reshape.actuator.executor.DryRunDriver;
import io.reshape.actuator.executor.ExecutorSettings;
import io.reshape.actuator.executor.ExecutorTopology;
import io.reshape.actuator.executor.KafkaActuationReports;
import io.reshape.jobs.analytics.AnalyticsJobs;
import io.reshape.schemas.KafkaConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything between the input topics and the actuations, on this machine: the analytics and the
 * planner in a MiniCluster, and the actuator's coordinator and one executor for every host (dry run
 * unless told otherwise) as Kafka Streams applications, the executor's worker carrying commands out
 * beside them.
 */
public final class Pipeline implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final JobClient analytics;
  private final List<KafkaStreams> actuator;
  private final CommandWorker worker;
  private final KafkaActuationReports reports;
  private final CommandJournal journal;

  private Pipeline(JobClient analytics, List<KafkaStreams> actuator, CommandWorker worker, KafkaActuationReports reports,
      CommandJournal journal) {
    this.analytics = analytics;
    this.actuator = actuator;
    this.worker = worker;
    this.reports = reports;
    this.journal = journal;
  }

  /** The pipeline with the actuator in dry run, on this machine's clock. */
  public static Pipeline start(KafkaConnection connection, PipelineSettings settings, Path workDir) throws Exception {
    return start(connection, settings, workDir, new DryRunDriver(), Clock.systemUTC());
  }

  /**
   * The pipeline with one executor for every host, carrying commands out through {@code driver}.
   *
   * @param clock the actuator's clock: what it judges deadlines and ages by
   */
  public static Pipeline start(KafkaConnection connection, PipelineSettings settings, Path workDir, Driver driver, Clock clock)
      throws Exception {
    StreamExecutionEnvironment env = LocalFlink.environment(settings, workDir.resolve("checkpoints"));
    AnalyticsJobs.addTo(env, connection, settings.analytics());
    JobClient job = env.executeAsync(AnalyticsJobs.NAME);

    ExecutorSettings executor = ExecutorSettings.of(Set.of(), workDir.resolve("executor"));
    CommandJournal journal = CommandJournal.open(executor.journalDirectory(), executor.journalRetention(), clock.instant());
    KafkaActuationReports reports = new KafkaActuationReports(connection);
    // A local pipeline has no endpoint: its meters are kept, and read by nobody.
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ActuationMeters actuations = new ActuationMeters(meters);
    CommandWorker worker = CommandWorker.onThreads(journal, Drivers.only(driver), reports, actuations, clock, ExecutorSettings.LANES);
    worker.recover();
    KafkaStreams coordinator = streams(CoordinatorTopology.build(connection.registryProperties(), settings.coordinator(),
            new DecisionMeters(meters), clock),
        StreamsSettings.exactlyOnce(connection, CoordinatorTopology.APPLICATION_ID, workDir.resolve("streams"), meters));
    KafkaStreams executorApp = streams(ExecutorTopology.build(connection.registryProperties(), executor, journal, worker, actuations, clock),
        StreamsSettings.exactlyOnce(connection, executor.applicationId(), workDir.resolve("streams"), meters));
    Pipeline pipeline = new Pipeline(job, List.of(coordinator, executorApp), worker, reports, journal);
    try {
      pipeline.awaitRunning();
    } catch (Exception e) {
      pipeline.close();
      throw e;
    }
    return pipeline;
  }

  private static KafkaStreams streams(Topology topology, Properties config) {
    KafkaStreams streams = new KafkaStreams(topology, config);
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("Actuator application failed", e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
    return streams;
  }

  private void awaitRunning() throws Exception {
    Instant deadline = Instant.now().plus(STARTUP);
    while (analytics.getJobStatus().get(5, TimeUnit.SECONDS) != JobStatus.RUNNING
        || actuator.stream().anyMatch(s -> s.state() != KafkaStreams.State.RUNNING)) {
      JobStatus status = analytics.getJobStatus().get(5, TimeUnit.SECONDS);
      if (status.isTerminalState()) {
        throw new IllegalStateException("The analytics job ended during startup: " + status);
      }
      if (actuator.stream().anyMatch(s -> s.state() == KafkaStreams.State.ERROR || s.state() == KafkaStreams.State.NOT_RUNNING)) {
        throw new IllegalStateException("An actuator application failed during startup");
      }
      if (Instant.now().isAfter(deadline)) {
        throw new TimeoutException("The pipeline did not start within " + STARTUP.toSeconds() + " s");
      }
      Thread.sleep(100);
    }
  }

  /** A problem that stops the pipeline from working, or null when it works. */
  public String failure() throws Exception {
    JobStatus status = analytics.getJobStatus().get(5, TimeUnit.SECONDS);
    if (status.isGloballyTerminalState()) {
      return "The analytics job is " + status;
    }
    return actuator.stream().filter(s -> s.state() != KafkaStreams.State.RUNNING && s.state() != KafkaStreams.State.REBALANCING)
        .findFirst().map(s -> "An actuator application is " + s.state()).orElse(null);
  }

  @Override
  public void close() {
    try {
      if (!analytics.getJobStatus().get(5, TimeUnit.SECONDS).isGloballyTerminalState()) {
        analytics.cancel().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("Could not cancel the analytics job cleanly: {}", e.toString());
    }
    actuator.forEach(s -> s.close(Duration.ofSeconds(30)));
    try {
      worker.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reports.close();
    try {
      journal.close();
    } catch (IOException e) {
      LOG.warn("Could not close the command journal: {}", e.toString());
    }
  }
}
