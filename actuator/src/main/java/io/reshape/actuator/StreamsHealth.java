package io.reshape.actuator;

import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/** Whether a Kafka Streams application can do its work: while it runs or rebalances, it can. */
public final class StreamsHealth {

  private StreamsHealth() {}

  /** Why {@code streams} cannot do its work now; empty while it can. */
  public static Optional<String> unhealthy(KafkaStreams streams) {
    KafkaStreams.State state = streams.state();
    return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
        ? Optional.empty()
        : Optional.of("Kafka Streams is " + state);
  }
}
