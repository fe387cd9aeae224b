package io.reshape.schemas.serde;

import io.reshape.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;

/** Writes records in the registry wire format under a subject. Thread-safe. */
public final class RegistryAvroEncoder {

  private final SchemaRegistryClient registry;
  private final Map<Schema, DatumWriter<IndexedRecord>> writers = new ConcurrentHashMap<>();

  public RegistryAvroEncoder(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  public byte[] encode(String subject, IndexedRecord record) {
    Schema schema = record.getSchema();
    int id = registry.idForWriting(subject, schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      WireFormat.writeHeader(out, id);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writers.computeIfAbsent(schema, SpecificDatumWriter::new).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new SerializationException("Cannot encode " + schema.getFullName() + " for " + subject + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }
}
