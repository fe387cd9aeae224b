package io.reshape.schemas.serde;

import io.reshape.events.DeadLetterCause;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.registry.SchemaRegistryException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.avro.Schema;

/**
 * The Confluent wire format: one magic byte (0), the schema id as a 4-byte big-endian integer,
 * then the Avro binary encoding of the value.
 */
public final class WireFormat {

  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_LENGTH = 5;

  private WireFormat() {}

  public static void writeHeader(OutputStream out, int schemaId) throws IOException {
    out.write(MAGIC_BYTE);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
  }

  /** Reads the header and returns the schema id; the stream is left at the Avro bytes. */
  public static int readHeader(InputStream in) throws IOException {
    int magic = in.read();
    if (magic != MAGIC_BYTE) {
      throw new RecordDecodingException(DeadLetterCause.MALFORMED_FRAME, magic < 0
          ? "Empty record: no magic byte"
          : String.format("Magic byte is 0x%02x, expected 0x00: not in the schema-registry wire format", magic));
    }
    try {
      return new DataInputStream(in).readInt();
    } catch (EOFException e) {
      throw new RecordDecodingException(DeadLetterCause.MALFORMED_FRAME,
          "Record ends inside the 5-byte header: no schema id", e);
    }
  }

  /**
   * Reads the header and fetches the writer's schema. An id the registry does not know is the
   * record's fault ({@link RecordDecodingException}); a registry that cannot answer is not
   * ({@link SchemaRegistryException}).
   */
  public static Schema readWriterSchema(InputStream in, SchemaRegistryClient registry) throws IOException {
    int id = readHeader(in);
    try {
      return registry.schemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.isSchemaNotFound()) {
        throw new RecordDecodingException(DeadLetterCause.UNKNOWN_SCHEMA_ID,
            "Schema id " + id + " is not in the registry", e);
      }
      throw e;
    }
  }
}
