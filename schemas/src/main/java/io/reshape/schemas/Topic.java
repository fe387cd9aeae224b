package io.reshape.schemas;

import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One topic of the catalogue: its name, what its key is, the Avro type of its values and how the
 * broker keeps it. Keys are always UTF-8 strings; values are Avro in the registry wire format.
 *
 * @param <V> the value type
 */
public record Topic<V extends SpecificRecord>(
    String name,
    String key,
    Class<V> valueType,
    int partitions,
    Cleanup cleanup,
    Duration retention) {

  /** How the broker discards old records. */
  public enum Cleanup {
    /** Records older than the retention are deleted. */
    DELETE,
    /** Only the latest record of each key is kept; a null value deletes the key. */
    COMPACT
  }

  /** The schema of the values, as generated from {@code schemas/src/main/avro}. */
  public Schema valueSchema() {
    return SpecificData.get().getSchema(valueType);
  }

  /** The registry subject of the values (Confluent's TopicNameStrategy). */
  public String valueSubject() {
    return valueSubject(name);
  }

  /** The registry subject of the values of any topic, catalogued or not (Confluent's TopicNameStrategy). */
  public static String valueSubject(String topicName) {
    return topicName + "-value";
  }

  /** Broker settings for this topic. */
  public Map<String, String> brokerConfig() {
    return switch (cleanup) {
      case DELETE -> Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
          TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()),
          // The broker deletes whole segments: a record outlives the retention by at most one segment's span.
          TopicConfig.SEGMENT_MS_CONFIG, Long.toString(segmentSpan().toMillis()));
      case COMPACT -> Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
          // How long a tombstone stays readable before compaction removes it.
          TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    };
  }

  /** How much time one log segment covers: a quarter of the retention. */
  public Duration segmentSpan() {
    return retention.dividedBy(4);
  }

  @Override
  public String toString() {
    return name;
  }
}
