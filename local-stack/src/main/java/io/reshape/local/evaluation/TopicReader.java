package io.reshape.local.evaluation;

import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.serde.RegistryAvroDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Follows one topic from its beginning, committed records only, decoding its values. */
final class TopicReader<V extends SpecificRecord> implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final RegistryAvroDecoder<V> decoder;

  TopicReader(KafkaConnection kafka, Topic<V> topic) {
    var config = kafka.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    decoder = RegistryAvroDecoder.forType(SchemaRegistryClient.shared(RegistryConfig.from(kafka.registryProperties())),
        topic.valueType());
    List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** What arrived since the last call, waiting at most {@code wait} for something. */
  List<V> poll(Duration wait) {
    List<V> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
      if (record.value() != null) {
        values.add(decoder.decode(record.value()));
      }
    }
    return values;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
