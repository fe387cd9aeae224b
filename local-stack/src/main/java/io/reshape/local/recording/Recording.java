package io.reshape.local.recording;

import io.reshape.local.recording.RecordedValue.Avro;
import io.reshape.local.recording.RecordedValue.Raw;
import io.reshape.local.recording.RecordedValue.Tombstone;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * The recording file: an Avro object-container file (schema in its header, deflate blocks) whose
 * entries are, in replay order, records (topic, partition, offset, key, timestamp, value) and,
 * before the first record that uses it, each writer schema once, so a replay can register it in
 * another registry and frame the value bytes with the id found there. A last entry marks a
 * recording that was closed properly; a file without it was cut short.
 *
 * <p>It lives in {@code local-stack}, beside the command line that writes and reads it, and not in
 * {@code schemas}: no component of the pipeline reads recordings, they only travel through Kafka.
 */
public final class Recording {

  static final String FORMAT_KEY = "reshape.recording.format";
  static final String PARTITIONS_KEY = "reshape.recording.partitions";
  private static final String FORMAT = "1";
  private static final String NAMESPACE = "io.reshape.recording";

  private static final Schema WRITER_SCHEMA = SchemaBuilder.record("WriterSchema").namespace(NAMESPACE)
      .doc("An Avro schema that values of later records were written with.").fields()
      .name("id").doc("Its id in the source registry; records refer to it by this id.").type().intType().noDefault()
      .name("schema").doc("The schema, in Avro's JSON form.").type().stringType().noDefault()
      .endRecord();
  private static final Schema AVRO_VALUE = SchemaBuilder.record("AvroValue").namespace(NAMESPACE)
      .doc("A value in the registry wire format, without its 5-byte header.").fields()
      .name("schemaId").doc("The writer schema's id in the source registry (a WriterSchema entry before this one).")
      .type().intType().noDefault()
      .name("body").doc("The Avro binary encoding, exactly as read.").type().bytesType().noDefault()
      .endRecord();
  private static final Schema RAW_VALUE = SchemaBuilder.record("RawValue").namespace(NAMESPACE)
      .doc("A value that is not in the wire format, or names a schema its registry does not have.").fields()
      .name("bytes").doc("The value exactly as read.").type().bytesType().noDefault()
      .endRecord();
  private static final Schema RECORD = SchemaBuilder.record("Record").namespace(NAMESPACE)
      .doc("One Kafka record.").fields()
      .name("topic").doc("The source topic.").type().stringType().noDefault()
      .name("partition").doc("The source partition; a replay writes to the same one.").type().intType().noDefault()
      .name("offset").doc("The offset in the source partition.").type().longType().noDefault()
      .name("key").doc("The key's bytes.").type().unionOf().nullType().and().bytesType().endUnion().noDefault()
      .name("timestamp").doc("The Kafka record timestamp, which is the event time; a replay keeps it.")
      .type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
      .name("value").doc("The value; null for a tombstone.")
      .type(Schema.createUnion(Schema.create(Schema.Type.NULL), AVRO_VALUE, RAW_VALUE)).noDefault()
      .endRecord();
  private static final Schema END = SchemaBuilder.record("End").namespace(NAMESPACE)
      .doc("The last entry of a recording that was closed properly.").fields()
      .name("records").doc("How many records the recording holds.").type().longType().noDefault()
      .endRecord();
  static final Schema ENTRY = Schema.createUnion(WRITER_SCHEMA, RECORD, END);

  private Recording() {}

  /**
   * Starts a recording at {@code file}, which must not exist yet.
   *
   * @param sourcePartitions the partitions of each recorded topic at the source
   */
  public static Writer create(Path file, Map<String, Integer> sourcePartitions) {
    if (Files.exists(file)) {
      throw new IllegalArgumentException(file + " exists already; choose another file or remove it");
    }
    DataFileWriter<Object> out = new DataFileWriter<>(new GenericDatumWriter<>(ENTRY));
    out.setCodec(CodecFactory.deflateCodec(CodecFactory.DEFAULT_DEFLATE_LEVEL));
    out.setMeta(FORMAT_KEY, FORMAT);
    out.setMeta(PARTITIONS_KEY, sourcePartitions.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
    try {
      out.create(ENTRY, file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot write " + file + ": " + e.getMessage(), e);
    }
    return new Writer(out);
  }

  /** Opens a recording for reading; a file that is not one is refused with the reason. */
  public static Reader open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("No recording at " + file + ": there is no such file");
    }
    DataFileReader<Object> in;
    try {
      in = new DataFileReader<>(file.toFile(), new GenericDatumReader<>(ENTRY));
    } catch (IOException | AvroRuntimeException e) {
      throw new IllegalArgumentException(file + " is not a Reshape recording (not an Avro object-container file: "
          + e.getMessage() + ")", e);
    }
    String format = in.getMetaString(FORMAT_KEY);
    String partitions = in.getMetaString(PARTITIONS_KEY);
    if (format == null || partitions == null) {
      closeQuietly(in);
      throw new IllegalArgumentException(file + " is an Avro file but not a Reshape recording (it has no "
          + FORMAT_KEY + ")");
    }
    if (!format.equals(FORMAT)) {
      closeQuietly(in);
      throw new IllegalArgumentException(file + " is a recording in format " + format + "; this Reshape reads format " + FORMAT);
    }
    return new Reader(file, in, parsePartitions(partitions));
  }

  private static Map<String, Integer> parsePartitions(String text) {
    Map<String, Integer> partitions = new LinkedHashMap<>();
    for (String entry : text.isEmpty() ? List.<String>of() : List.of(text.split(","))) {
      String[] topicAndCount = entry.split("=", 2);
      partitions.put(topicAndCount[0], Integer.parseInt(topicAndCount[1]));
    }
    return partitions;
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // Only a reader is closed this way, and nothing it holds can be lost.
    }
  }

  /** Appends records; {@link #finish()} marks the recording complete. Not thread-safe. */
  public static final class Writer implements AutoCloseable {
    private final DataFileWriter<Object> out;
    private final Set<Integer> schemasWritten = new HashSet<>();
    private long records;
    private boolean finished;

    private Writer(DataFileWriter<Object> out) {
      this.out = out;
    }

    public void append(RecordedRecord record) {
      try {
        if (record.value() instanceof Avro avro && schemasWritten.add(avro.schemaId())) {
          GenericRecord schema = new GenericData.Record(WRITER_SCHEMA);
          schema.put("id", avro.schemaId());
          schema.put("schema", avro.schema().toString());
          out.append(schema);
        }
        GenericRecord entry = new GenericData.Record(RECORD);
        entry.put("topic", record.topic());
        entry.put("partition", record.partition());
        entry.put("offset", record.offset());
        entry.put("key", record.key() == null ? null : ByteBuffer.wrap(record.key()));
        entry.put("timestamp", record.timestamp());
        entry.put("value", valueEntry(record.value()));
        out.append(entry);
        records++;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static GenericRecord valueEntry(RecordedValue value) {
      if (value instanceof Avro avro) {
        GenericRecord entry = new GenericData.Record(AVRO_VALUE);
        entry.put("schemaId", avro.schemaId());
        entry.put("body", ByteBuffer.wrap(avro.body()));
        return entry;
      }
      if (value instanceof Raw raw) {
        GenericRecord entry = new GenericData.Record(RAW_VALUE);
        entry.put("bytes", ByteBuffer.wrap(raw.frame()));
        return entry;
      }
      return null;
    }

    /** Records appended so far. */
    public long records() {
      return records;
    }

    /** Marks the recording complete and closes it. */
    public void finish() {
      GenericRecord end = new GenericData.Record(END);
      end.put("records", records);
      try {
        out.append(end);
        finished = true;
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Closes the file; unless {@link #finish()} came first, readers will find it cut short. */
    @Override
    public void close() {
      if (!finished) {
        try {
          out.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /** Reads a recording's records in order. Not thread-safe. */
  public static final class Reader implements AutoCloseable {
    private final Path file;
    private final DataFileReader<Object> in;
    private final Map<String, Integer> sourcePartitions;
    private final Map<Integer, Schema> schemas = new HashMap<>();
    private long records;
    private boolean ended;

    private Reader(Path file, DataFileReader<Object> in, Map<String, Integer> sourcePartitions) {
      this.file = file;
      this.in = in;
      this.sourcePartitions = Collections.unmodifiableMap(sourcePartitions);
    }

    /** The partitions each recorded topic had at the source, in the order they were recorded. */
    public Map<String, Integer> sourcePartitions() {
      return sourcePartitions;
    }

    /**
     * The next record, or null after the last one.
     *
     * @throws IllegalArgumentException when the file was cut short or is damaged
     */
    public RecordedRecord next() {
      while (!ended) {
        GenericRecord entry = nextEntry();
        String type = entry.getSchema().getName();
        if (type.equals(RECORD.getName())) {
          records++;
          return record(entry);
        } else if (type.equals(WRITER_SCHEMA.getName())) {
          schemas.put((Integer) entry.get("id"), parseSchema(entry.get("schema").toString()));
        } else {
          ended = true;
          long expected = (Long) entry.get("records");
          if (expected != records) {
            throw damaged("it says it holds " + expected + " records");
          }
        }
      }
      return null;
    }

    private GenericRecord nextEntry() {
      try {
        if (in.hasNext()) {
          return (GenericRecord) in.next();
        }
      } catch (RuntimeException e) {
        // Avro says what broke in many ways (a bad sync marker, a block that does not inflate, a bad union index).
        throw damaged(e.toString());
      }
      throw new IllegalArgumentException(file + " was cut short after " + records
          + " records: it ends without the entry that closes a recording (was the recorder killed, or the copy incomplete?)");
    }

    private RecordedRecord record(GenericRecord entry) {
      ByteBuffer key = (ByteBuffer) entry.get("key");
      return new RecordedRecord(entry.get("topic").toString(), (Integer) entry.get("partition"), (Long) entry.get("offset"),
          key == null ? null : bytes(key), (Long) entry.get("timestamp"), value((GenericRecord) entry.get("value")));
    }

    private RecordedValue value(GenericRecord value) {
      if (value == null) {
        return new Tombstone();
      }
      if (value.getSchema().getName().equals(RAW_VALUE.getName())) {
        return new Raw(bytes((ByteBuffer) value.get("bytes")));
      }
      int id = (Integer) value.get("schemaId");
      Schema schema = schemas.get(id);
      if (schema == null) {
        throw damaged("a record refers to writer schema " + id + ", which comes nowhere before it");
      }
      return new Avro(id, schema, bytes((ByteBuffer) value.get("body")));
    }

    private Schema parseSchema(String json) {
      try {
        return new Schema.Parser().parse(json);
      } catch (RuntimeException e) {
        throw damaged("a writer schema does not parse: " + e.getMessage());
      }
    }

    private IllegalArgumentException damaged(String why) {
      return new IllegalArgumentException(file + " is damaged or cut short after " + records + " records: " + why);
    }

    private static byte[] bytes(ByteBuffer buffer) {
      return Arrays.copyOfRange(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.arrayOffset() + buffer.limit());
    }

    @Override
    public void close() {
      closeQuietly(in);
    }
  }
}
