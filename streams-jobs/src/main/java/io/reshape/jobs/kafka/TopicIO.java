package io.reshape.jobs.kafka;

import io.reshape.jobs.metrics.MeteredSerializer;
import io.reshape.jobs.metrics.SinkMeters;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
import io.reshape.schemas.flink.FlinkRegistryFormats;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Kafka sources and sinks of catalogue topics, for one job. */
public final class TopicIO {

  /** Kafka brokers refuse transactions longer than 15 minutes by default. */
  private static final String TRANSACTION_TIMEOUT_MS = Long.toString(15 * 60 * 1000);

  private final KafkaConnection connection;
  private final String jobName;

  /**
   * @param jobName names the consumer group and the transactional ids, so two jobs never share them
   */
  public TopicIO(KafkaConnection connection, String jobName) {
    this.connection = connection;
    this.jobName = jobName;
  }

  /** Reads {@code topic} from the group's committed offsets, or from the start on the first run. */
  public KafkaSource<RawRecord> source(Topic<?> topic) {
    Properties properties = connection.clientConfig();
    // Read only what exactly-once writers committed.
    properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return KafkaSource.<RawRecord>builder()
        .setProperties(properties)
        .setTopics(topic.name())
        .setGroupId("reshape-" + jobName)
        .setClientIdPrefix("reshape-" + jobName + "-" + topic.name())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new RawRecordDeserializer())
        .build();
  }

  /**
   * Writes values of {@code topic} in transactions that commit with Flink's checkpoints.
   *
   * @param keyOf the record key of a value, as the catalogue declares it
   */
  public <V extends SpecificRecord> KafkaSink<V> sink(Topic<V> topic, SerializableKey<V> keyOf) {
    return sink(topic, keyOf, SinkMeters.none());
  }

  /** As {@link #sink(Topic, SerializableKey)}, measuring each value written with {@code meters}. */
  public <V extends SpecificRecord> KafkaSink<V> sink(Topic<V> topic, SerializableKey<V> keyOf, SinkMeters<V> meters) {
    Properties properties = connection.clientConfig();
    properties.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
    return KafkaSink.<V>builder()
        .setKafkaProducerConfig(properties)
        .setRecordSerializer(serializer(topic, keyOf, meters))
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix("reshape-" + jobName + "-" + topic.name())
        .build();
  }

  /**
   * Writes values of {@code topic} as soon as they are made (at least once): for what a reader
   * recognises when it comes twice, and would rather have now than at the next checkpoint.
   */
  public <V extends SpecificRecord> KafkaSink<V> sinkAsMade(Topic<V> topic, SerializableKey<V> keyOf) {
    return sinkAsMade(topic, keyOf, SinkMeters.none());
  }

  /** As {@link #sinkAsMade(Topic, SerializableKey)}, measuring each value written with {@code meters}. */
  public <V extends SpecificRecord> KafkaSink<V> sinkAsMade(Topic<V> topic, SerializableKey<V> keyOf, SinkMeters<V> meters) {
    return KafkaSink.<V>builder()
        .setKafkaProducerConfig(connection.clientConfig())
        .setRecordSerializer(serializer(topic, keyOf, meters))
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build();
  }

  private <V extends SpecificRecord> KafkaRecordSerializationSchema<V> serializer(Topic<V> topic, SerializableKey<V> keyOf,
      SinkMeters<V> meters) {
    SerializationSchema<V> keys = value -> keyOf.keyOf(value).getBytes(StandardCharsets.UTF_8);
    return new MeteredSerializer<>(KafkaRecordSerializationSchema.<V>builder()
        .setTopic(topic.name())
        .setKeySerializationSchema(keys)
        .setValueSerializationSchema(FlinkRegistryFormats.serializer(topic, connection.registryProperties()))
        .build(), meters);
  }

  /**
   * The key of a value.
   *
   * @param <V> the value type
   */
  @FunctionalInterface
  public interface SerializableKey<V> extends Serializable {
    String keyOf(V value);
  }
}
