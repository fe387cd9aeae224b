package io.reshape.local;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reshape.collectors.FleetRunner;
import io.reshape.collectors.sim.SimulatedFleet;
import io.reshape.collectors.spool.Spool;
import io.reshape.collectors.spool.SpoolingPublisher;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on this machine, fed by a simulated fleet (or by whatever is published to it,
 * when it runs without one): the embedded stack, the Flink job, the actuator in dry run, and a
 * monitor that reads what comes out. The command line and the end-to-end tests both run it.
 */
public final class LocalRun implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalRun.class);
  private static final long SPOOL_BYTES = 256L << 20;
  private static final long SPOOL_SEGMENT_BYTES = 8L << 20;
  private static final Duration DRAIN = Duration.ofSeconds(30);

  private final RunConfig config;
  private final LocalStack stack;
  private final Pipeline pipeline;
  private final ProgressMonitor monitor;
  private final SimulatedFleet fleet;
  private final SpoolingPublisher publisher;
  private final FleetRunner runner;
  private final Duration stackStartup;
  private final Duration pipelineStartup;
  private final Instant fleetStart;

  private LocalRun(RunConfig config, LocalStack stack, Pipeline pipeline, ProgressMonitor monitor, SimulatedFleet fleet,
      SpoolingPublisher publisher, FleetRunner runner, Duration stackStartup, Duration pipelineStartup, Instant fleetStart) {
    this.config = config;
    this.stack = stack;
    this.pipeline = pipeline;
    this.monitor = monitor;
    this.fleet = fleet;
    this.publisher = publisher;
    this.runner = runner;
    this.stackStartup = stackStartup;
    this.pipelineStartup = pipelineStartup;
    this.fleetStart = fleetStart;
  }

  /**
   * Brings everything up and starts the fleet, if the run has one.
   *
   * @param restartOnFailure whether the Flink job restarts after a failure (a run) or stops (a test)
   */
  public static LocalRun start(RunConfig config, boolean restartOnFailure) throws Exception {
    return start(config, restartOnFailure, Topics.ALL);
  }

  /**
   * @param watched the topics the monitor reads
   */
  public static LocalRun start(RunConfig config, boolean restartOnFailure, List<Topic<?>> watched) throws Exception {
    Instant t0 = Instant.now();
    LocalStack stack = LocalStack.start(config.dataDir(), config.brokers());
    Instant t1 = Instant.now();
    Pipeline pipeline = null;
    ProgressMonitor monitor = null;
    SpoolingPublisher publisher = null;
    SimulatedFleet fleet = null;
    try {
      pipeline = Pipeline.start(stack.connection(), config.pipeline(restartOnFailure), stack.dir().resolve("pipeline"));
      Instant t2 = Instant.now();
      monitor = new ProgressMonitor(stack.connection(), watched).start();
      FleetRunner runner = null;
      if (config.withFleet()) {
        fleet = new SimulatedFleet(config.fleet());
        publisher = new SpoolingPublisher(stack.connection(), "simulated-fleet",
            Spool.open(stack.dir().resolve("spool"), SPOOL_BYTES, SPOOL_SEGMENT_BYTES), new SimpleMeterRegistry());
      }
      Instant fleetStart = Instant.now();
      if (fleet != null) {
        runner = new FleetRunner(fleet, publisher, config.interval(), fleetStart, config.speed());
        runner.start();
      }
      return new LocalRun(config, stack, pipeline, monitor, fleet, publisher, runner,
          Duration.between(t0, t1), Duration.between(t1, t2), fleetStart);
    } catch (Exception e) {
      closeQuietly(publisher);
      closeQuietly(fleet);
      closeQuietly(monitor);
      closeQuietly(pipeline);
      stack.close();
      throw e;
    }
  }

  public RunConfig config() {
    return config;
  }

  public LocalStack stack() {
    return stack;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  public ProgressMonitor monitor() {
    return monitor;
  }

  /** The simulated fleet; none in a run without one. */
  public Optional<SimulatedFleet> fleet() {
    return Optional.ofNullable(fleet);
  }

  /** What publishes the fleet's samples; none in a run without a fleet. */
  public Optional<SpoolingPublisher> publisher() {
    return Optional.ofNullable(publisher);
  }

  public Duration stackStartup() {
    return stackStartup;
  }

  public Duration pipelineStartup() {
    return pipelineStartup;
  }

  /** When the fleet started; in a run without one, when the pipeline was up. */
  public Instant fleetStart() {
    return fleetStart;
  }

  /** Stops the fleet and waits until what it published has reached Kafka; the pipeline goes on. */
  public void stopFleet() throws InterruptedException {
    if (runner == null) {
      return;
    }
    runner.close();
    if (!publisher.drain(DRAIN)) {
      LOG.warn("{} samples still wait in the spool after {} s", publisher.pending(), DRAIN.toSeconds());
    }
  }

  @Override
  public void close() {
    closeQuietly(runner);
    closeQuietly(fleet);
    closeQuietly(publisher);
    closeQuietly(monitor);
    closeQuietly(pipeline);
    stack.close();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("Error while stopping: {}", e.toString());
    }
  }
}
