package io.reshape.schemas.flink;

import io.reshape.schemas.Topic;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;

/** Flink's Avro formats, wired to the registry. */
public final class FlinkRegistryFormats {

  private FlinkRegistryFormats() {}

  /** Writes values of {@code topic} under its value subject. */
  public static <T extends SpecificRecord> RegistryAvroSerializationSchema<T> serializer(
      Topic<T> topic, Map<String, String> registryConfig) {
    return RegistryAvroSerializationSchema.forSpecific(topic.valueType(),
        new RegistrySchemaCoderProvider(topic.valueSubject(), registryConfig));
  }
}
