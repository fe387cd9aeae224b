package io.reshape.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Schemas and records as a newer version of Reshape might write them, for schema-evolution tests. */
public final class NewerSchemas {

  private static final ObjectMapper JSON = new ObjectMapper();

  private NewerSchemas() {}

  /** {@code schema} with {@code symbol} added to the symbols of its enum named {@code enumName}. */
  public static Schema withEnumSymbol(Schema schema, String enumName, String symbol) {
    try {
      JsonNode tree = JSON.readTree(schema.toString());
      if (!addSymbol(tree, enumName, symbol)) {
        throw new IllegalArgumentException(schema.getFullName() + " has no enum " + enumName);
      }
      return new Schema.Parser().parse(tree.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code record} as {@code newer} writes it, with its enum field {@code field} set to {@code symbol}. */
  public static GenericRecord withSymbol(SpecificRecord record, Schema newer, String field, String symbol) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
      new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
      GenericRecord copy = new GenericDatumReader<GenericRecord>(record.getSchema(), newer)
          .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
      copy.put(field, new GenericData.EnumSymbol(newer.getField(field).schema(), symbol));
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean addSymbol(JsonNode node, String enumName, String symbol) {
    if (node.isObject() && "enum".equals(node.path("type").asText()) && enumName.equals(node.path("name").asText())) {
      ((ArrayNode) node.get("symbols")).add(symbol);
      return true;
    }
    boolean found = false;
    for (JsonNode child : node) {
      found |= (child.isContainerNode() && addSymbol(child, enumName, symbol));
    }
    return found;
  }
}
