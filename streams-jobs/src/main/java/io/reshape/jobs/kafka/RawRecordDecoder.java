package io.reshape.jobs.kafka;

import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import io.reshape.schemas.flink.FlinkRegistryFormats;
import io.reshape.schemas.registry.SchemaRegistryException;
import io.reshape.schemas.serde.DeadLetters;
import io.reshape.schemas.serde.RecordDecodingException;
import java.io.Serializable;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;

/**
 * Decodes the value of a {@link RawRecord} with Flink's registry Avro format. What cannot be
 * decoded becomes a dead letter; a registry that cannot be reached fails the task instead, because
 * retrying (a restart from the last checkpoint) will succeed once it is back.
 *
 * @param <T> the value type
 */
public final class RawRecordDecoder<T extends SpecificRecord> implements Serializable {

  private static final long serialVersionUID = 1L;

  private final RegistryAvroDeserializationSchema<T> format;
  private final String stage;

  public RawRecordDecoder(Class<T> type, Map<String, String> registryConfig, String stage) {
    this.format = FlinkRegistryFormats.deserializer(type, registryConfig);
    this.stage = stage;
  }

  /** The value, or null after handing a dead letter to {@code deadLetters}. Null values are not decoded. */
  public T decode(RawRecord record, Consumer<DeadLetter> deadLetters) {
    try {
      return format.deserialize(record.value);
    } catch (RecordDecodingException e) {
      deadLetters.accept(deadLetter(record, e.kind(), e.getMessage()));
    } catch (SchemaRegistryException e) {
      throw e;
    } catch (Exception e) {
      // Avro reports corrupt bytes with many exception types (EOF, negative lengths, bad unions).
      deadLetters.accept(deadLetter(record, DeadLetterCause.UNDECODABLE_AVRO, "Bytes do not decode: " + e));
    }
    return null;
  }

  public DeadLetter deadLetter(RawRecord record, DeadLetterCause cause, String reason) {
    return DeadLetters.of(record.topic, record.partition, record.offset, record.timestamp, record.key, record.value,
        stage, cause, reason);
  }
}
