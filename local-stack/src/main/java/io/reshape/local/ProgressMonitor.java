package io.reshape.local;

import io.reshape.events.Actuation;
import io.reshape.events.DeadLetter;
import io.reshape.events.Decision;
import io.reshape.events.Plan;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Outcomes;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.serde.RegistryAvroDecoder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every catalogue topic as a downstream reader would (committed records only): counts
 * records per topic and keeps the decisions, settled actuations and dead letters, with the wall time each
 * became visible, and the last plan of each cell with a count of the candidates the plans left.
 */
public final class ProgressMonitor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProgressMonitor.class);

  /** A record of interest and the wall time it was read. */
  public record Seen<T>(T value, Instant at) {}

  /** Counts so far. */
  public record Snapshot(Map<String, Long> records, List<Seen<Decision>> decisions,
      List<Seen<Actuation>> actuations, List<Seen<DeadLetter>> deadLetters, Map<String, Plan> lastPlans, long leftByPlanner) {

    public long records(Topic<?> topic) {
      return records.getOrDefault(topic.name(), 0L);
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final RegistryAvroDecoder<Decision> decisionDecoder;
  private final RegistryAvroDecoder<Actuation> actuationDecoder;
  private final RegistryAvroDecoder<DeadLetter> deadLetterDecoder;
  private final RegistryAvroDecoder<Plan> planDecoder;
  // Guarded by this.
  private final Map<String, Long> records = new TreeMap<>();
  private final List<Seen<Decision>> decisions = new ArrayList<>();
  private final List<Seen<Actuation>> actuations = new ArrayList<>();
  private final List<Seen<DeadLetter>> deadLetters = new ArrayList<>();
  private final Map<String, Plan> lastPlans = new TreeMap<>();
  private long leftByPlanner;
  private final Thread thread;
  private volatile boolean running = true;

  private final List<Topic<?>> watched;

  /** Watches every catalogue topic. */
  public ProgressMonitor(KafkaConnection connection) {
    this(connection, Topics.ALL);
  }

  /** Watches {@code watched} only: a load run leaves the inputs alone, reading them would be load of its own. */
  public ProgressMonitor(KafkaConnection connection, List<Topic<?>> watched) {
    this.watched = List.copyOf(watched);
    Properties config = connection.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "reshape-progress");
    this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    SchemaRegistryClient registry = SchemaRegistryClient.shared(RegistryConfig.from(connection.registryProperties()));
    this.decisionDecoder = RegistryAvroDecoder.forType(registry, Decision.class);
    this.actuationDecoder = RegistryAvroDecoder.forType(registry, Actuation.class);
    this.deadLetterDecoder = RegistryAvroDecoder.forType(registry, DeadLetter.class);
    this.planDecoder = RegistryAvroDecoder.forType(registry, Plan.class);
    this.thread = new Thread(this::run, "progress-monitor");
    this.thread.setDaemon(true);
  }

  public ProgressMonitor start() {
    List<TopicPartition> partitions = new ArrayList<>();
    for (Topic<?> topic : watched) {
      for (PartitionInfo info : consumer.partitionsFor(topic.name())) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread.start();
    return this;
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          tally(record, Instant.now());
        }
      }
    } catch (WakeupException e) {
      // Closing.
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private synchronized void tally(ConsumerRecord<byte[], byte[]> record, Instant now) {
    records.merge(record.topic(), 1L, Long::sum);
    try {
      if (record.topic().equals(Topics.DECISIONS.name())) {
        decisions.add(new Seen<>(decisionDecoder.decode(record.value()), now));
      } else if (record.topic().equals(Topics.ACTUATIONS.name())) {
        Actuation actuation = actuationDecoder.decode(record.value());
        if (Outcomes.settled(actuation.getOutcome())) {
          actuations.add(new Seen<>(actuation, now));
        }
      } else if (record.topic().equals(Topics.DEAD_LETTERS.name())) {
        deadLetters.add(new Seen<>(deadLetterDecoder.decode(record.value()), now));
      } else if (record.topic().equals(Topics.PLANS.name())) {
        Plan plan = planDecoder.decode(record.value());
        lastPlans.put(plan.getCellId(), plan);
        leftByPlanner += plan.getNotChosen().size();
      }
    } catch (RuntimeException e) {
      LOG.warn("Cannot read {}/{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
    }
  }

  public synchronized Snapshot snapshot() {
    return new Snapshot(Map.copyOf(records), List.copyOf(decisions), List.copyOf(actuations), List.copyOf(deadLetters),
        Map.copyOf(lastPlans), leftByPlanner);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
