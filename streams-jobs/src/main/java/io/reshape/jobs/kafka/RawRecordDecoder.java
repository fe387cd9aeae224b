package io.reshape.jobs.kafka;

import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.registry.SchemaRegistryException;
import io.reshape.schemas.serde.DeadLetters;
import io.reshape.schemas.serde.RecordDecodingException;
import io.reshape.schemas.serde.RegistryAvroDecoder;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes the value of a {@link RawRecord} in the registry wire format, each record with a decoder
 * of its own: nothing one malformed record leaves behind can reach the next. (Flink's registry
 * format keeps one buffered decoder across records, so a record it gave up on halfway left its
 * bytes to be read as the start of the next one, and every record after it failed.) What cannot
 * be decoded becomes a dead letter; a registry that cannot be reached fails the task instead,
 * because retrying (a restart from the last checkpoint) will succeed once it is back.
 *
 * @param <T> the value type
 */
public final class RawRecordDecoder<T extends SpecificRecord> implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private final HashMap<String, String> registryConfig;
  private final String stage;
  private transient RegistryAvroDecoder<T> decoder;

  public RawRecordDecoder(Class<T> type, Map<String, String> registryConfig, String stage) {
    this.type = type;
    this.registryConfig = new HashMap<>(registryConfig);
    this.stage = stage;
  }

  /** The value, or null after handing a dead letter to {@code deadLetters}. Null values are not decoded. */
  public T decode(RawRecord record, Consumer<DeadLetter> deadLetters) {
    try {
      return decoder().decode(record.value);
    } catch (RecordDecodingException e) {
      deadLetters.accept(deadLetter(record, e.kind(), e.getMessage()));
    } catch (SchemaRegistryException e) {
      throw e;
    } catch (RuntimeException e) {
      deadLetters.accept(deadLetter(record, DeadLetterCause.UNDECODABLE_AVRO, "Bytes do not decode: " + e));
    }
    return null;
  }

  private RegistryAvroDecoder<T> decoder() {
    if (decoder == null) {
      decoder = RegistryAvroDecoder.forType(SchemaRegistryClient.shared(RegistryConfig.from(registryConfig)), type);
    }
    return decoder;
  }

  public DeadLetter deadLetter(RawRecord record, DeadLetterCause cause, String reason) {
    return DeadLetters.of(record.topic, record.partition, record.offset, record.timestamp, record.key, record.value,
        stage, cause, reason);
  }
}
