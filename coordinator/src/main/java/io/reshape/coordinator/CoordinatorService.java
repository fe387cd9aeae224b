package io.reshape.coordinator;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reshape.actuator.StreamsClientMeters;
import io.reshape.actuator.StreamsHealth;
import io.reshape.actuator.StreamsSettings;
import io.reshape.actuator.coordinator.CoordinatorTopology;
import io.reshape.actuator.coordinator.DecisionMeters;
import io.reshape.observability.ProcessMeters;
import io.reshape.observability.RunningService;
import io.reshape.observability.ServiceEndpoints;
import io.reshape.schemas.serde.TrustedPackages;
import java.io.IOException;
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
 * the fleet and sends each host its commands, exactly once. Its endpoint, on {@code
 * RESHAPE_METRICS_ADDRESS}:{@code RESHAPE_METRICS_PORT}, serves {@code /metrics} (the decisions
 * it judged, its Kafka Streams client's meters, the JVM's) and {@code /health}.
 */
public final class CoordinatorService implements RunningService {

  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorService.class);
  private static final Duration LONGEST_STOP = Duration.ofSeconds(60);

  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;
  private final CountDownLatch ended = new CountDownLatch(1);
  // Set once started; closed from the shutdown hook's thread.
  private volatile ServiceEndpoints endpoints;

  private CoordinatorService(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics) {
    this.streams = streams;
    this.streamsMetrics = streamsMetrics;
  }

  /** Starts the application and its endpoint; it runs until {@link #close()} or until it fails. */
  public static CoordinatorService start(CoordinatorConfig config, Clock clock) throws IOException {
    PrometheusMeterRegistry meters = ProcessMeters.registry();
    KafkaStreams streams = new KafkaStreams(
        CoordinatorTopology.build(config.kafka().registryProperties(), config.settings(), new DecisionMeters(meters), clock),
        StreamsSettings.exactlyOnce(config.kafka(), CoordinatorTopology.APPLICATION_ID, config.stateDir(), meters));
    KafkaStreamsMetrics streamsMetrics = StreamsClientMeters.bind(streams, meters);
    CoordinatorService service = new CoordinatorService(streams, streamsMetrics);
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
    try {
      service.endpoints = ServiceEndpoints.start(config.metricsAddress(), config.metricsPort(), meters, service::unhealthy);
    } catch (IOException e) {
      service.close();
      throw e;
    }
    LOG.info("Metrics and health on port {}", service.endpoints.port());
    return service;
  }

  /** The port of the metrics and health endpoint. */
  public int metricsPort() {
    return endpoints.port();
  }

  /** Why the coordinator cannot do its work now, if it cannot. */
  @Override
  public Optional<String> unhealthy() {
    return StreamsHealth.unhealthy(streams);
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
    if (endpoints != null) {
      endpoints.close();
    }
    streamsMetrics.close();
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
