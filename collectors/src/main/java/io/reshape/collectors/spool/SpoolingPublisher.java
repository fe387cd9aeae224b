package io.reshape.collectors.spool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.reshape.collectors.Sample;
import io.reshape.events.SpoolPosition;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import io.reshape.schemas.access.Role;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.serde.RegistryAvroDecoder;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets every sample a collector read into Kafka exactly once, whether the broker is away for a
 * while or the collector restarts.
 *
 * <p>{@link #publish} encodes the samples and appends them to the {@link Spool} (durable when it
 * returns). A sender thread ships the spool in order, in Kafka transactions that also write the
 * collector's {@link SpoolPosition}: the samples and the position they bring the collector to
 * commit together or not at all. After any failure (broker away, timeout, restart) the sender
 * starts a new producer, which fences the old one and aborts its open transaction, reads the
 * committed position back, and goes on from there. So a batch whose commit did succeed before an
 * error is never sent again, and one whose commit did not is sent again.
 *
 * <p>Its meters: {@code reshape.collector.events} and {@code reshape.collector.bytes} by topic
 * (samples and encoded bytes spooled), {@code reshape.collector.committed}, {@code
 * reshape.collector.lost}, and the gauges {@code reshape.collector.spool.records} and {@code
 * reshape.collector.spool.bytes}.
 */
public final class SpoolingPublisher implements AutoCloseable {

  /** Its transactional id's prefix, which the collector role's ACLs grant. */
  private static final String CLIENT_PREFIX = Role.NAME_PREFIX + Role.COLLECTOR.clientNames().get(0) + "-";

  private static final Logger LOG = LoggerFactory.getLogger(SpoolingPublisher.class);
  private static final int BATCH = 1000;
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final KafkaConnection connection;
  private final String collectorId;
  private final Spool spool;
  private final RegistryAvroSerializer<SpecificRecord> values = new RegistryAvroSerializer<>();
  private final RegistryAvroDecoder<SpoolPosition> positions;
  private final AtomicLong unencodable = new AtomicLong();
  private final MeterRegistry meters;
  private final Counter committed;
  private final Thread sender;
  private volatile boolean running = true;
  private KafkaProducer<String, byte[]> producer;

  public SpoolingPublisher(KafkaConnection connection, String collectorId, Spool spool, MeterRegistry meters) {
    this.connection = connection;
    this.collectorId = collectorId;
    this.spool = spool;
    this.meters = meters;
    this.committed = Counter.builder("reshape.collector.committed").description("Samples committed to Kafka.").register(meters);
    FunctionCounter.builder("reshape.collector.lost", this, SpoolingPublisher::lost)
        .description("Samples lost: dropped from a full spool, or not encodable.").register(meters);
    Gauge.builder("reshape.collector.spool.records", spool, Spool::pending)
        .description("Samples waiting in the spool for Kafka.").register(meters);
    Gauge.builder("reshape.collector.spool.bytes", spool, Spool::bytes)
        .description("Bytes the spool holds on disk.").register(meters);
    values.configure(connection.registryProperties(), false);
    this.positions = RegistryAvroDecoder.forType(
        SchemaRegistryClient.shared(RegistryConfig.from(connection.registryProperties())), SpoolPosition.class);
    this.sender = new Thread(this::send, "spool-sender-" + collectorId);
    this.sender.setDaemon(true);
    this.sender.start();
  }

  /** Appends the samples to the spool; they are durable, in this order, when this returns. */
  public void publish(List<Sample<?>> samples) {
    List<SpooledRecord> records = new ArrayList<>(samples.size());
    for (Sample<?> sample : samples) {
      try {
        byte[] value = values.serialize(sample.topic().name(), sample.value());
        spooled(sample.topic().name(), value == null ? 0 : value.length);
        records.add(new SpooledRecord(0, sample.topic().name(), sample.key(), sample.eventTime().toEpochMilli(), value));
      } catch (RuntimeException e) {
        // Without a schema id the sample cannot be written in the wire format: say so, count it.
        unencodable.incrementAndGet();
        LOG.error("Cannot encode a {} sample for {}: {}", sample.topic(), sample.key(), e.toString());
      }
    }
    if (!records.isEmpty()) {
      spool.append(records);
    }
  }

  /** Samples appended to the spool so far, including those of earlier runs on the same spool. */
  public long appended() {
    return spool.lastSequence();
  }

  /** Counts a sample spooled for {@code topic}; the registry keeps each topic's two counters. */
  private void spooled(String topic, int bytes) {
    Counter.builder("reshape.collector.events").description("Samples spooled, by topic.").tag("topic", topic)
        .register(meters).increment();
    Counter.builder("reshape.collector.bytes").description("Encoded bytes spooled, by topic.").tag("topic", topic)
        .register(meters).increment(bytes);
  }

  /** Samples committed to Kafka by this publisher. */
  public long committed() {
    return (long) committed.count();
  }

  /** Samples waiting in the spool. */
  public long pending() {
    return spool.pending();
  }

  /** Samples lost: dropped from a full spool, or not encodable. */
  public long lost() {
    return spool.dropped() + unencodable.get();
  }

  /** Why this publisher cannot get samples to Kafka any more, if it cannot: its sender has died. */
  public Optional<String> unhealthy() {
    return running && !sender.isAlive() ? Optional.of("the spool's sender stopped") : Optional.empty();
  }

  /** Waits until the spool is empty or {@code timeout} has passed; true when it is empty. */
  public boolean drain(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (spool.pending() > 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    return spool.pending() == 0;
  }

  private void send() {
    long position = -1;
    while (running) {
      try {
        if (producer == null) {
          producer = newProducer();
          long acknowledged = position;
          position = committedPosition();
          // A commit whose answer an outage swallowed shows here: Kafka has more than was acknowledged.
          spool.delivered(acknowledged + 1, position);
          LOG.info("Collector {} sends from spool sequence {} ({} waiting)", collectorId, position + 1, spool.pending());
        }
        List<SpooledRecord> batch = spool.read(position, BATCH, 200);
        if (batch.isEmpty()) {
          continue;
        }
        long last = batch.get(batch.size() - 1).sequence();
        producer.beginTransaction();
        for (SpooledRecord r : batch) {
          producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value()));
        }
        producer.send(positionRecord(last));
        producer.commitTransaction();
        position = last;
        spool.delivered(batch.get(0).sequence(), last);
        committed.increment(batch.size());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.warn("Collector {} cannot reach Kafka ({}); {} samples wait in the spool", collectorId, e.toString(), spool.pending());
        closeProducer();
        sleep();
      }
    }
  }

  private KafkaProducer<String, byte[]> newProducer() {
    Properties config = connection.clientConfig();
    config.putAll(Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, CLIENT_PREFIX + collectorId,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, CLIENT_PREFIX + collectorId,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        ProducerConfig.LINGER_MS_CONFIG, "20",
        // While the broker is away, fail fast into the retry loop: the spool holds the samples.
        ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000",
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000",
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"));
    KafkaProducer<String, byte[]> created = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    try {
      created.initTransactions();
    } catch (RuntimeException e) {
      created.close(Duration.ZERO);
      throw e;
    }
    return created;
  }

  /** The last sequence Kafka has committed for this collector, 0 when none. */
  private long committedPosition() {
    Properties config = connection.clientConfig();
    config.putAll(Map.of(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_PREFIX + collectorId + "-position-" + UUID.randomUUID(),
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"));
    Topic<SpoolPosition> topic = Topics.COLLECTOR_POSITIONS;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long position = 0;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (collectorId.equals(record.key()) && record.value() != null) {
            SpoolPosition committed = positions.decode(record.value());
            position = committed.getSpoolId().equals(spool.id()) ? committed.getSequence() : 0;
          }
        }
      }
      return position;
    }
  }

  private ProducerRecord<String, byte[]> positionRecord(long sequence) {
    SpoolPosition position = new SpoolPosition(collectorId, spool.id(), sequence, Instant.now());
    String topic = Topics.COLLECTOR_POSITIONS.name();
    return new ProducerRecord<>(topic, collectorId, values.serialize(topic, position));
  }

  private void closeProducer() {
    if (producer != null) {
      producer.close(Duration.ZERO);
      producer = null;
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(RETRY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops sending; what is still in the spool stays there for the next run. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    // Let the sender finish its step: an interrupt in the middle of file I/O closes the channel.
    sender.join(20_000);
    if (sender.isAlive()) {
      sender.interrupt();
      sender.join(10_000);
    }
    closeProducer();
  }
}
