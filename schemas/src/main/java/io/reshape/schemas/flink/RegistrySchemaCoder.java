package io.reshape.schemas.flink;

import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.serde.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.SchemaCoder;

/**
 * Flink's hook into the registry wire format: writes and reads the 5-byte header through the
 * project's registry client, so that Flink and plain Kafka clients produce the same bytes.
 */
public final class RegistrySchemaCoder implements SchemaCoder {

  private final String subject;
  private final SchemaRegistryClient registry;

  /**
   * @param subject subject that written schemas belong to; null for a coder that only reads
   */
  public RegistrySchemaCoder(String subject, SchemaRegistryClient registry) {
    this.subject = subject;
    this.registry = registry;
  }

  @Override
  public Schema readSchema(InputStream in) throws IOException {
    return WireFormat.readWriterSchema(in, registry);
  }

  @Override
  public void writeSchema(Schema schema, OutputStream out) throws IOException {
    if (subject == null) {
      throw new IllegalStateException("This coder reads only; it has no subject to write to");
    }
    WireFormat.writeHeader(out, registry.idForWriting(subject, schema));
  }
}
