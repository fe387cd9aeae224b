package io.reshape.collectors;

import io.reshape.schemas.Topic;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record a collector read, bound for a topic. The event time becomes the Kafka record's
 * timestamp, which is what the Flink jobs put their watermarks on.
 *
 * @param value the value, or null for a tombstone on a compacted topic
 */
public record Sample<V extends SpecificRecord>(Topic<V> topic, String key, V value, Instant eventTime) {}
