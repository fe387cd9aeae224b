package io.reshape.actuator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.KafkaStreams;

/** A Kafka Streams client's own metrics as meters: its consumers' lag, its producers', its threads'. */
public final class StreamsClientMeters {

  /**
   * How often metrics the client made since are looked for: a partition's lag exists only once the
   * partition is assigned, which the binder's default of a minute would show late.
   */
  private static final Duration REFRESH = Duration.ofSeconds(5);

  private StreamsClientMeters() {}

  /** Binds the metrics of {@code streams} to {@code registry}; closing the binder stops looking for new ones. */
  public static KafkaStreamsMetrics bind(KafkaStreams streams, MeterRegistry registry) {
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, Tags.empty(), Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "streams-client-meters");
      thread.setDaemon(true);
      return thread;
    }), REFRESH);
    metrics.bindTo(registry);
    return metrics;
  }
}
