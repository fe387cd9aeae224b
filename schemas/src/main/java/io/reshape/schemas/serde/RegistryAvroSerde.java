package io.reshape.schemas.serde;

import io.reshape.schemas.Topic;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The registry serializer and deserializer of one record type, as a Kafka Streams serde.
 *
 * @param <T> the record type
 */
public class RegistryAvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final RegistryAvroSerializer<T> serializer = new RegistryAvroSerializer<>();
  private final RegistryAvroDeserializer<T> deserializer;

  public RegistryAvroSerde(Class<T> type) {
    this.deserializer = new RegistryAvroDeserializer<>(type);
  }

  /** A configured serde for the values of {@code topic}. */
  public static <T extends SpecificRecord> RegistryAvroSerde<T> forValues(Topic<T> topic, Map<String, ?> registryConfig) {
    RegistryAvroSerde<T> serde = new RegistryAvroSerde<>(topic.valueType());
    serde.configure(registryConfig, false);
    return serde;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}
