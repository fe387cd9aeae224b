package io.reshape.local.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.events.Decision;
import io.reshape.events.InventoryRecord;
import io.reshape.events.QuantumSample;
import io.reshape.local.recording.RecordedValue.Avro;
import io.reshape.local.recording.RecordedValue.Raw;
import io.reshape.local.recording.RecordedValue.Tombstone;
import io.reshape.local.recording.RecordingSummary.SchemaUse;
import io.reshape.local.recording.RecordingSummary.TopicSummary;
import io.reshape.schemas.NewerSchemas;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingTest {

  private static final Schema NEWER_DECISION = NewerSchemas.withEnumSymbol(Decision.getClassSchema(), "Action", "HIBERNATE");
  private static final Map<String, Integer> PARTITIONS = Map.of("quanta", 6, "inventory", 3, "traffic", 6, "decisions", 3);

  /** Compares byte arrays by their contents, and schemas as Avro does. */
  static final RecursiveComparisonConfiguration BYTES_BY_VALUE = RecursiveComparisonConfiguration.builder()
      .withEqualsForType(Schema::equals, Schema.class).build();

  @TempDir
  Path dir;

  static RecordedRecord record(String topic, int partition, long offset, String key, long timestamp, RecordedValue value) {
    return new RecordedRecord(topic, partition, offset, key == null ? null : key.getBytes(StandardCharsets.UTF_8), timestamp, value);
  }

  static List<RecordedRecord> mixed() {
    return List.of(
        record("quanta", 4, 10, "vm-1", 1_000, new Avro(7, QuantumSample.getClassSchema(), new byte[] {2, 4, 6})),
        record("inventory", 2, 0, "vm:vm-1", 1_001, new Avro(8, InventoryRecord.getClassSchema(), new byte[] {1})),
        record("quanta", 4, 11, "vm-1", 1_002, new Avro(7, QuantumSample.getClassSchema(), new byte[] {8})),
        record("inventory", 2, 1, "vm:vm-1", 1_003, new Tombstone()),
        record("traffic", 0, 5, null, 1_004, new Raw("plain text".getBytes(StandardCharsets.UTF_8))),
        record("decisions", 1, 3, "vm-2", 1_005, new Avro(9, Decision.getClassSchema(), new byte[] {})),
        record("decisions", 1, 4, "vm-2", 1_006, new Avro(12, NEWER_DECISION, new byte[] {3, 3})),
        record("quanta", 5, 0, "vm-3", 999, new Avro(7, QuantumSample.getClassSchema(), new byte[] {10})));
  }

  private Path written(List<RecordedRecord> records) {
    Path file = dir.resolve("recording.avro");
    try (Recording.Writer writer = Recording.create(file, PARTITIONS)) {
      records.forEach(writer::append);
      writer.finish();
    }
    return file;
  }

  static List<RecordedRecord> readAll(Path file) {
    List<RecordedRecord> read = new ArrayList<>();
    try (Recording.Reader reader = Recording.open(file)) {
      for (RecordedRecord record = reader.next(); record != null; record = reader.next()) {
        read.add(record);
      }
    }
    return read;
  }

  @Test
  void recordsComeBackAsTheyWereWrittenWithTombstonesRawFramesAndTheirSchemas() {
    Path file = written(mixed());

    assertThat(readAll(file)).usingRecursiveFieldByFieldElementComparator(BYTES_BY_VALUE).containsExactlyElementsOf(mixed());
    try (Recording.Reader reader = Recording.open(file)) {
      assertThat(reader.sourcePartitions()).isEqualTo(PARTITIONS);
    }
  }

  @Test
  void eachWriterSchemaIsStoredOnceBeforeItsFirstUseInAPlainAvroFile() throws IOException {
    Path file = written(mixed());

    List<String> entries = new ArrayList<>();
    try (DataFileReader<GenericRecord> plain = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
      assertThat(plain.getMetaString("avro.codec")).isEqualTo("deflate");
      plain.forEach(entry -> entries.add(entry.getSchema().getName()
          + (entry.getSchema().getField("id") == null ? "" : " " + entry.get("id"))));
    }
    assertThat(entries).containsExactly("WriterSchema 7", "Record", "WriterSchema 8", "Record", "Record", "Record", "Record",
        "WriterSchema 9", "Record", "WriterSchema 12", "Record", "Record", "End");
  }

  @Test
  void aSummaryCountsEachTopicAndListsTheSchemasInTheOrderOfFirstUse() {
    RecordingSummary summary = RecordingSummary.read(written(mixed()));

    assertThat(summary.topics()).containsExactly(
        Map.entry("quanta", new TopicSummary(3, 3 * 4 + 3 * 5 + (3 + 1 + 1), 5, 999, 1_002)),
        Map.entry("inventory", new TopicSummary(2, 2 * 7 + 5 + 1, 2, 1_001, 1_003)),
        Map.entry("traffic", new TopicSummary(1, 10, 0, 1_004, 1_004)),
        Map.entry("decisions", new TopicSummary(2, 2 * 4 + 2 * 5 + (0 + 2), 1, 1_005, 1_006)));
    assertThat(summary.schemas()).containsExactly(
        new SchemaUse("quanta", 7, QuantumSample.getClassSchema()),
        new SchemaUse("inventory", 8, InventoryRecord.getClassSchema()),
        new SchemaUse("decisions", 9, Decision.getClassSchema()),
        new SchemaUse("decisions", 12, NEWER_DECISION));
    assertThat(summary.records(List.of("quanta", "traffic"))).isEqualTo(4);
    assertThat(summary.spanMillis(List.of("quanta", "traffic"))).isEqualTo(1_004 - 999);
  }

  @Test
  void aRecordingIsNeverWrittenOverAnExistingFile() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.avro"), "keep me");

    assertThatThrownBy(() -> Recording.create(file, PARTITIONS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists already");
    assertThat(Files.readString(file)).isEqualTo("keep me");
  }

  @Test
  void aFileThatIsNotARecordingIsRefusedWithTheReason() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.txt"), "not Avro at all");
    Path empty = Files.createFile(dir.resolve("empty.avro"));
    Path otherAvro = dir.resolve("other.avro");
    try (DataFileWriter<Object> writer = new DataFileWriter<>(new GenericDatumWriter<>(Schema.create(Schema.Type.STRING)))) {
      writer.create(Schema.create(Schema.Type.STRING), otherAvro.toFile());
      writer.append("hello");
    }

    assertThatThrownBy(() -> Recording.open(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("notes.txt is not a Reshape recording (not an Avro object-container file");
    assertThatThrownBy(() -> Recording.open(empty)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a Reshape recording");
    assertThatThrownBy(() -> Recording.open(otherAvro)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other.avro is an Avro file but not a Reshape recording");
    assertThatThrownBy(() -> Recording.open(dir.resolve("missing.avro"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("there is no such file");
  }

  @Test
  void aRecordingLeftUnfinishedIsSaidToBeCutShort() {
    Path file = dir.resolve("unfinished.avro");
    try (Recording.Writer writer = Recording.create(file, PARTITIONS)) {
      mixed().forEach(writer::append);
    }

    assertThatThrownBy(() -> readAll(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(file + " was cut short after 8 records: it ends without the entry that closes a recording");
    assertThatThrownBy(() -> RecordingSummary.read(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was cut short");
  }

  private Path writtenInManyBlocks() {
    Random random = new Random(1);
    List<RecordedRecord> many = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      byte[] body = new byte[100];
      random.nextBytes(body);
      many.add(record("quanta", i % 6, i, "vm-" + i, 1_000 + i, new Avro(7, QuantumSample.getClassSchema(), body)));
    }
    return written(many);
  }

  @Test
  void aFileTruncatedAnywhereIsSaidToBeCutShort() throws IOException {
    Path file = writtenInManyBlocks();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() * 2 / 3);
    }

    assertThatThrownBy(() -> readAll(file)).isInstanceOf(IllegalArgumentException.class)
        .as("Avro reads a block cut in two as no block").hasMessageStartingWith(file + " was cut short after ");
  }

  @Test
  void aFileWithGarbageInsideIsSaidToBeDamaged() throws IOException {
    Path file = writtenInManyBlocks();
    byte[] bytes = Files.readAllBytes(file);
    Arrays.fill(bytes, bytes.length / 2, bytes.length / 2 + 64, (byte) 0x5a);
    Files.write(file, bytes);

    assertThatThrownBy(() -> readAll(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(file + " is damaged or cut short after ").hasMessageContaining("Avro");
  }
}
