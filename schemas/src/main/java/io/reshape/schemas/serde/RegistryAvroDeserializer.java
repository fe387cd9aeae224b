package io.reshape.schemas.serde;

import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A Kafka deserializer for the registry wire format. Built with a target type, it resolves every
 * writer schema to that type's schema; built without one, it returns what the writer wrote: the
 * generated class when {@code specific.avro.reader=true}, a generic record otherwise.
 *
 * <p>Bytes that are not a valid record raise {@link RecordDecodingException}, whose kind says why.
 *
 * @param <T> the type of the values returned
 */
public class RegistryAvroDeserializer<T> implements Deserializer<T> {

  private final Class<T> type;
  private RegistryAvroDecoder<T> decoder;

  /** Returns values as written; for tools that read any topic. */
  public RegistryAvroDeserializer() {
    this(null);
  }

  public RegistryAvroDeserializer(Class<T> type) {
    this.type = type;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    RegistryConfig config = RegistryConfig.from(configs);
    SchemaRegistryClient registry = SchemaRegistryClient.shared(config);
    decoder = type == null
        ? new RegistryAvroDecoder<>(registry, null, config.specificAvroReader())
        : new RegistryAvroDecoder<>(registry, SpecificData.get().getSchema(type), true);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (decoder == null) {
      throw new IllegalStateException("configure() was not called");
    }
    return decoder.decode(data);
  }
}
