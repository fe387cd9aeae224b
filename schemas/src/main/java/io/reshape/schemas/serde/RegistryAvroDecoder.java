package io.reshape.schemas.serde;

import io.reshape.events.DeadLetterCause;
import io.reshape.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads records in the registry wire format. With a reader schema, every writer schema is resolved
 * to it (schema evolution); without one, records come back as the writer wrote them. Thread-safe.
 *
 * @param <T> the type of the values returned
 */
public final class RegistryAvroDecoder<T> {

  private final SchemaRegistryClient registry;
  private final Schema readerSchema;
  private final boolean specific;
  private final Map<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();

  /**
   * @param readerSchema the schema to read into, or null to read with each record's writer schema
   * @param specific true to return generated classes, false for generic records
   */
  public RegistryAvroDecoder(SchemaRegistryClient registry, Schema readerSchema, boolean specific) {
    this.registry = registry;
    this.readerSchema = readerSchema;
    this.specific = specific;
  }

  /** A decoder into the generated class {@code type}. */
  public static <T> RegistryAvroDecoder<T> forType(SchemaRegistryClient registry, Class<T> type) {
    return new RegistryAvroDecoder<>(registry, SpecificData.get().getSchema(type), true);
  }

  /**
   * @throws RecordDecodingException when the bytes are not a valid record (the record's fault)
   * @throws io.reshape.schemas.registry.SchemaRegistryException when the registry cannot answer
   */
  public T decode(byte[] data) {
    if (data == null) {
      return null;
    }
    ByteArrayInputStream in = new ByteArrayInputStream(data);
    Schema writer;
    try {
      writer = WireFormat.readWriterSchema(in, registry);
    } catch (IOException e) {
      throw new RecordDecodingException(DeadLetterCause.MALFORMED_FRAME, e.getMessage(), e);
    }
    BinaryDecoder decoder = DecoderFactory.get()
        .binaryDecoder(data, WireFormat.HEADER_LENGTH, data.length - WireFormat.HEADER_LENGTH, null);
    try {
      T value = readers.computeIfAbsent(writer, this::readerFor).read(null, decoder);
      if (!decoder.isEnd()) {
        throw new IOException("bytes left over after the record");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      throw new RecordDecodingException(DeadLetterCause.UNDECODABLE_AVRO,
          "Bytes do not decode as " + writer.getFullName()
              + (readerSchema == null ? "" : " read as " + readerSchema.getFullName()) + ": " + e, e);
    }
  }

  private DatumReader<T> readerFor(Schema writer) {
    Schema reader = readerSchema == null ? writer : readerSchema;
    return specific ? new SpecificDatumReader<>(writer, reader) : new GenericDatumReader<>(writer, reader);
  }
}
