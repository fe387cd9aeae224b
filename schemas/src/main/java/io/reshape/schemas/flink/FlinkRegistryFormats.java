package io.reshape.schemas.flink;

import io.reshape.schemas.Topic;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;

/** Flink's Avro formats, wired to the registry. */
public final class FlinkRegistryFormats {

  private FlinkRegistryFormats() {}

  /** Reads values of {@code type}, resolving each writer schema to the type's schema. */
  public static <T extends SpecificRecord> RegistryAvroDeserializationSchema<T> deserializer(
      Class<T> type, Map<String, String> registryConfig) {
    return new RegistryAvroDeserializationSchema<>(type, null, new RegistrySchemaCoderProvider(null, registryConfig));
  }

  /** Writes values of {@code topic} under its value subject. */
  public static <T extends SpecificRecord> RegistryAvroSerializationSchema<T> serializer(
      Topic<T> topic, Map<String, String> registryConfig) {
    return RegistryAvroSerializationSchema.forSpecific(topic.valueType(),
        new RegistrySchemaCoderProvider(topic.valueSubject(), registryConfig));
  }
}
