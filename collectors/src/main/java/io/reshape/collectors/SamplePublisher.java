package io.reshape.collectors;

import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends samples to Kafka with an idempotent producer that waits for every in-sync replica, so a
 * broker hiccup neither loses nor duplicates a sample. Every send is accounted for: it is either
 * acknowledged or counted and logged as failed.
 */
public final class SamplePublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SamplePublisher.class);

  private final Producer<String, SpecificRecord> producer;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> lastFailure = new AtomicReference<>();

  public SamplePublisher(KafkaConnection connection, String clientId) {
    Properties config = connection.clientConfig();
    config.putAll(Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, clientId,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        ProducerConfig.LINGER_MS_CONFIG, "20"));
    RegistryAvroSerializer<SpecificRecord> values = new RegistryAvroSerializer<>();
    values.configure(connection.registryProperties(), false);
    this.producer = new KafkaProducer<>(config, new StringSerializer(), values);
  }

  public void publish(Sample<?> sample) {
    sent.incrementAndGet();
    try {
      producer.send(new ProducerRecord<>(sample.topic().name(), null, sample.eventTime().toEpochMilli(),
          sample.key(), sample.value()), (metadata, error) -> {
            if (error == null) {
              acknowledged.incrementAndGet();
            } else {
              fail(sample, error);
            }
          });
    } catch (RuntimeException e) {
      // Refused before it was queued: the value could not be serialized (registry unreachable).
      fail(sample, e);
    }
  }

  private void fail(Sample<?> sample, Exception error) {
    failed.incrementAndGet();
    lastFailure.set(error);
    LOG.error("Could not publish a {} sample for {}: {}", sample.topic(), sample.key(), error.toString());
  }

  /** Blocks until every sample sent so far is acknowledged or has failed. */
  public void flush() {
    producer.flush();
  }

  public long sent() {
    return sent.get();
  }

  public long acknowledged() {
    return acknowledged.get();
  }

  public long failed() {
    return failed.get();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
    if (failed.get() > 0) {
      LOG.error("{} of {} samples could not be published; last error: {}", failed.get(), sent.get(), lastFailure.get());
    }
  }
}
