package io.reshape.local;

import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.time.Instant;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes a test's input as collectors do (Avro in the registry's wire format, the event time as the
 * record timestamp), but all of it to partition 0 of each topic: a job then reads a topic in the
 * order the test wrote it, and a record written in event-time order is never behind the watermark
 * (late), whatever the timing of the job's reads.
 */
final class TopicWriter implements AutoCloseable {

  private final KafkaProducer<String, byte[]> producer;
  private final RegistryAvroSerializer<IndexedRecord> serializer = new RegistryAvroSerializer<>();

  TopicWriter(KafkaConnection kafka) {
    producer = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), new ByteArraySerializer());
    serializer.configure(kafka.registryProperties(), false);
  }

  <V extends SpecificRecord> void send(Topic<V> topic, String key, V value, Instant at) {
    producer.send(new ProducerRecord<>(topic.name(), 0, at.toEpochMilli(), key, serializer.serialize(topic.name(), value)));
  }

  /** Sends to the partition of {@code key}, as Reshape's writers do: for readers that join by key. */
  <V extends SpecificRecord> void sendByKey(Topic<V> topic, String key, V value, Instant at) {
    producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), key, serializer.serialize(topic.name(), value)));
  }

  /** Waits until everything sent is in Kafka. */
  void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
