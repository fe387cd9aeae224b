package io.reshape.local;

import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.serde.RegistryAvroDecoder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A topic's records as a downstream reader sees them: committed only, from the beginning (or all written, to see what was aborted). */
public final class CommittedRecords {

  /** A record's key and decoded value (null for a tombstone). */
  public record Keyed<V>(String key, V value) {}

  private CommittedRecords() {}

  /** Everything on the topic now. */
  public static <V extends SpecificRecord> List<Keyed<V>> readAll(KafkaConnection kafka, Topic<V> topic) {
    return readAll(kafka, topic, "read_committed");
  }

  /** Everything written to the topic, committed or not: what a transaction that is open or was aborted holds too. */
  public static <V extends SpecificRecord> List<Keyed<V>> readAllWritten(KafkaConnection kafka, Topic<V> topic) {
    return readAll(kafka, topic, "read_uncommitted");
  }

  private static <V extends SpecificRecord> List<Keyed<V>> readAll(KafkaConnection kafka, Topic<V> topic, String isolation) {
    List<Keyed<V>> read = new ArrayList<>();
    try (Reader<V> reader = new Reader<>(kafka, topic, isolation)) {
      while (!reader.atEnd()) {
        reader.pollInto(read);
      }
    }
    return read;
  }

  /** Reads until {@code done} holds for what was read; fails, saying what was seen, after {@code wait}. */
  public static <V extends SpecificRecord> List<Keyed<V>> await(KafkaConnection kafka, Topic<V> topic, Duration wait,
      Predicate<List<Keyed<V>>> done) {
    List<Keyed<V>> read = new ArrayList<>();
    Instant deadline = Instant.now().plus(wait);
    try (Reader<V> reader = new Reader<>(kafka, topic, "read_committed")) {
      while (Instant.now().isBefore(deadline)) {
        reader.pollInto(read);
        if (done.test(read)) {
          return read;
        }
      }
    }
    throw new AssertionError("Not seen on " + topic + " within " + wait.toSeconds() + " s; read " + read.size()
        + " records, the first: " + read.subList(0, Math.min(3, read.size())));
  }

  private static final class Reader<V extends SpecificRecord> implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final RegistryAvroDecoder<V> decoder;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> end;

    Reader(KafkaConnection kafka, Topic<V> topic, String isolation) {
      var config = kafka.clientConfig();
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
      consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
      decoder = RegistryAvroDecoder.forType(SchemaRegistryClient.shared(RegistryConfig.from(kafka.registryProperties())),
          topic.valueType());
      partitions = consumer.partitionsFor(topic.name()).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      end = consumer.endOffsets(partitions);
    }

    boolean atEnd() {
      return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
    }

    void pollInto(List<Keyed<V>> read) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
        read.add(new Keyed<>(record.key(), record.value() == null ? null : decoder.decode(record.value())));
      }
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
