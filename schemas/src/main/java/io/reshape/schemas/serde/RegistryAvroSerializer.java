package io.reshape.schemas.serde;

import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serializer writing Avro records in the registry wire format, subject named after the
 * topic ({@code <topic>-value} or {@code <topic>-key}), configured with Confluent's keys.
 *
 * @param <T> the record type
 */
public class RegistryAvroSerializer<T extends IndexedRecord> implements Serializer<T> {

  private RegistryAvroEncoder encoder;
  private String subjectSuffix = "-value";

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    encoder = new RegistryAvroEncoder(SchemaRegistryClient.shared(RegistryConfig.from(configs)));
    subjectSuffix = isKey ? "-key" : "-value";
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (encoder == null) {
      throw new IllegalStateException("configure() was not called");
    }
    return data == null ? null : encoder.encode(topic + subjectSuffix, data);
  }
}
