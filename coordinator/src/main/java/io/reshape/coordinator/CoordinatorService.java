package io.reshape.coordinator;

import io.reshape.actuator.StreamsSettings;
import io.reshape.actuator.coordinator.CoordinatorTopology;
import io.reshape.schemas.serde.TrustedPackages;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator on its own: the Kafka Streams application that judges every decision against
 * the fleet and sends each host its commands, exactly once.
 */
public final class CoordinatorService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorService.class);
  private static final Duration LONGEST_STOP = Duration.ofSeconds(60);

  private final KafkaStreams streams;
  private final CountDownLatch ended = new CountDownLatch(1);

  private CoordinatorService(KafkaStreams streams) {
    this.streams = streams;
  }

  /** Starts the application; it runs until {@link #close()} or until it fails. */
  public static CoordinatorService start(CoordinatorConfig config, Clock clock) {
    KafkaStreams streams = new KafkaStreams(
        CoordinatorTopology.build(config.kafka().registryProperties(), config.settings(), clock),
        StreamsSettings.exactlyOnce(config.kafka(), CoordinatorTopology.APPLICATION_ID, config.stateDir()));
    CoordinatorService service = new CoordinatorService(streams);
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("The coordinator failed", e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
        service.ended.countDown();
      }
    });
    streams.start();
    return service;
  }

  /** Why the coordinator cannot do its work now, if it cannot. */
  public Optional<String> unhealthy() {
    KafkaStreams.State state = streams.state();
    return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
        ? Optional.empty()
        : Optional.of("Kafka Streams is " + state);
  }

  /** Waits until the application has stopped (failed, or closed). */
  public void awaitEnd() throws InterruptedException {
    ended.await();
  }

  public KafkaStreams streams() {
    return streams;
  }

  @Override
  public void close() {
    streams.close(LONGEST_STOP);
    ended.countDown();
  }

  public static void main(String[] args) throws Exception {
    TrustedPackages.trustEvents();
    CoordinatorConfig config;
    try {
      config = CoordinatorConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      // A setting the user can fix: what is wrong, without a stack trace.
      System.err.println("reshape-coordinator: " + e.getMessage());
      System.exit(2);
      return;
    }
    LOG.info("Reshape coordinator: {}", config);
    CoordinatorService service = start(config, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "coordinator-shutdown"));
    service.awaitEnd();
    if (service.streams.state() == KafkaStreams.State.ERROR) {
      System.exit(1);
    }
  }
}
