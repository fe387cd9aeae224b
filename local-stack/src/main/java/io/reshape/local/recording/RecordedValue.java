package io.reshape.local.recording;

import io.reshape.schemas.serde.RecordDecodingException;
import io.reshape.schemas.serde.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntFunction;
import org.apache.avro.Schema;

/** A record's value as recorded: nothing (a tombstone), an Avro body with its writer schema, or raw bytes. */
public sealed interface RecordedValue {

  /** How many bytes the value takes on the wire. */
  int wireSize();

  /**
   * What a Kafka value becomes in a recording. Only a frame in the wire format whose schema id the
   * source registry knows can be moved to another registry; anything else is kept as it was read.
   *
   * @param schemas the source registry's schema of an id, empty when it has none
   */
  static RecordedValue of(byte[] value, IntFunction<Optional<Schema>> schemas) {
    if (value == null) {
      return new Tombstone();
    }
    int id;
    try {
      id = WireFormat.readHeader(new ByteArrayInputStream(value));
    } catch (RecordDecodingException e) {
      return new Raw(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return schemas.apply(id)
        .<RecordedValue>map(schema -> new Avro(id, schema, Arrays.copyOfRange(value, WireFormat.HEADER_LENGTH, value.length)))
        .orElseGet(() -> new Raw(value));
  }

  /** A null value: on a compacted topic, the key's deletion. */
  record Tombstone() implements RecordedValue {
    @Override
    public int wireSize() {
      return 0;
    }
  }

  /**
   * An Avro value without its wire header.
   *
   * @param schemaId the writer schema's id in the registry it was read with
   * @param body the Avro binary encoding, exactly as read
   */
  record Avro(int schemaId, Schema schema, byte[] body) implements RecordedValue {
    @Override
    public int wireSize() {
      return WireFormat.HEADER_LENGTH + body.length;
    }

    /** The value in the wire format again, naming the writer schema by its id in another registry. */
    public byte[] framedWith(int targetSchemaId) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(wireSize());
      try {
        WireFormat.writeHeader(out, targetSchemaId);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.writeBytes(body);
      return out.toByteArray();
    }
  }

  /** A value that is not a registry frame, or names a schema id its registry does not have: replayed as it is. */
  record Raw(byte[] frame) implements RecordedValue {
    @Override
    public int wireSize() {
      return frame.length;
    }
  }
}
