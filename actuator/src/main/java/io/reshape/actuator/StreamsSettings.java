package io.reshape.actuator;

import io.micrometer.core.instrument.MeterRegistry;
import io.reshape.schemas.KafkaConnection;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration every actuator application shares. */
public final class StreamsSettings {

  private StreamsSettings() {}

  /**
   * Exactly-once processing, undecodable records to the dead-letter topic (counted in
   * {@code meters}), registry settings for the serdes and the handler.
   */
  public static Properties exactlyOnce(KafkaConnection connection, String applicationId, Path stateDir, MeterRegistry meters) {
    Properties config = connection.clientConfig();
    config.putAll(connection.registryProperties());
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
    config.put(DeadLetterHandler.METERS_CONFIG, meters);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return config;
  }
}
