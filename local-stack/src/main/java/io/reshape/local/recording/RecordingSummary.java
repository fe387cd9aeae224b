package io.reshape.local.recording;

import io.reshape.local.recording.RecordedValue.Avro;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * What a recording holds, found by reading it through: a replay reads it before it publishes
 * anything, so a file cut short or damaged is refused whole, and the target is checked first.
 *
 * @param sourcePartitions the partitions each recorded topic had at the source, in the order they were recorded
 * @param topics per topic, in the order topics first appear
 * @param schemas each writer schema with the topic it was used on, in the order of first use
 */
public record RecordingSummary(Map<String, Integer> sourcePartitions, Map<String, TopicSummary> topics, List<SchemaUse> schemas) {

  /**
   * One topic's records.
   *
   * @param bytes bytes of keys and values on the wire
   * @param highestPartition the highest partition a record was on
   * @param firstTimestamp the earliest record timestamp, epoch milliseconds
   * @param lastTimestamp the latest
   */
  public record TopicSummary(long records, long bytes, int highestPartition, long firstTimestamp, long lastTimestamp) {

    static final TopicSummary NONE = new TopicSummary(0, 0, -1, Long.MAX_VALUE, Long.MIN_VALUE);

    TopicSummary with(RecordedRecord record) {
      return new TopicSummary(records + 1, bytes + record.wireSize(), Math.max(highestPartition, record.partition()),
          Math.min(firstTimestamp, record.timestamp()), Math.max(lastTimestamp, record.timestamp()));
    }
  }

  /** A writer schema as first used on a topic. */
  public record SchemaUse(String topic, int sourceId, Schema schema) {}

  public RecordingSummary {
    sourcePartitions = Collections.unmodifiableMap(new LinkedHashMap<>(sourcePartitions));
    topics = Collections.unmodifiableMap(new LinkedHashMap<>(topics));
    schemas = List.copyOf(schemas);
  }

  /** Reads {@code file} through; refuses a file that is not a whole recording. */
  public static RecordingSummary read(Path file) {
    Map<String, TopicSummary> topics = new LinkedHashMap<>();
    List<SchemaUse> schemas = new ArrayList<>();
    Set<SchemaUse> seen = new HashSet<>();
    try (Recording.Reader reader = Recording.open(file)) {
      for (RecordedRecord record = reader.next(); record != null; record = reader.next()) {
        topics.put(record.topic(), topics.getOrDefault(record.topic(), TopicSummary.NONE).with(record));
        if (record.value() instanceof Avro avro) {
          SchemaUse use = new SchemaUse(record.topic(), avro.schemaId(), avro.schema());
          if (seen.add(use)) {
            schemas.add(use);
          }
        }
      }
      return new RecordingSummary(reader.sourcePartitions(), topics, schemas);
    }
  }

  /** Records of {@code selected} topics. */
  public long records(Collection<String> selected) {
    return selected.stream().mapToLong(t -> topics.get(t).records()).sum();
  }

  /** Event time the records of {@code selected} topics span, milliseconds. */
  public long spanMillis(Collection<String> selected) {
    long first = selected.stream().mapToLong(t -> topics.get(t).firstTimestamp()).min().orElse(0);
    long last = selected.stream().mapToLong(t -> topics.get(t).lastTimestamp()).max().orElse(0);
    return last - first;
  }
}
