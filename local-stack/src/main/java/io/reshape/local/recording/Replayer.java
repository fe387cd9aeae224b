package io.reshape.local.recording;

import io.reshape.local.recording.RecordedValue.Avro;
import io.reshape.local.recording.RecordedValue.Raw;
import io.reshape.local.recording.RecordingSummary.SchemaUse;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.registry.SchemaRegistryException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a recording into a cluster: each record to its topic (renamed with a prefix if asked)
 * and its partition, with its key and timestamp, in the recording's order, each when its event time
 * says ({@link ReplaySchedule}). Each writer schema is registered first in the target registry,
 * under the target topic's subject, and values are framed with the id found there.
 */
public final class Replayer {

  private static final Duration LONGEST_SLEEP = Duration.ofMillis(200);

  /** Told of each record as it is handed to the producer, with the time by the replay's clock. */
  public interface Listener {
    void published(RecordedRecord record, Instant at);
  }

  /**
   * A replay checked and ready: the recording read through, its topics chosen, the target's topics
   * and registry able to take them.
   *
   * @param targets the target topic of each recorded topic replayed
   */
  public record Plan(Path file, RecordingSummary summary, Map<String, String> targets) {

    public long records() {
      return summary.records(targets.keySet());
    }

    /** Event time between the first and the last record replayed, milliseconds. */
    public long spanMillis() {
      return summary.spanMillis(targets.keySet());
    }
  }

  /** @param complete false when stopped before the end of the recording */
  public record Result(long records, Duration took, boolean complete) {}

  private record SubjectSchema(String topic, int sourceId) {}

  private final KafkaConnection target;
  private final WallClock clock;
  private volatile boolean stopped;

  public Replayer(KafkaConnection target, WallClock clock) {
    this.target = target;
    this.clock = clock;
  }

  /** Stops publishing at the next record; what was handed to the producer still goes out. */
  public void stop() {
    stopped = true;
  }

  /**
   * Reads {@code file} through and checks the target can take it.
   *
   * @param topics the recorded topics to replay; empty for all of them
   * @param topicPrefix put before each topic's name at the target ("" for the same names)
   */
  public Plan plan(Path file, Collection<String> topics, String topicPrefix) {
    RecordingSummary summary = RecordingSummary.read(file);
    List<String> unknown = topics.stream().filter(t -> !summary.sourcePartitions().containsKey(t)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(file + " has no topic " + String.join(", ", unknown) + "; it has "
          + String.join(", ", summary.sourcePartitions().keySet()));
    }
    Map<String, String> targets = new LinkedHashMap<>();
    summary.topics().keySet().stream().filter(t -> topics.isEmpty() || topics.contains(t))
        .forEach(t -> targets.put(t, topicPrefix + t));
    Map<String, Integer> targetPartitions = Cluster.partitions(target, targets.values());
    targets.forEach((source, name) -> {
      int needed = summary.sourcePartitions().get(source);
      if (targetPartitions.get(name) < needed) {
        throw new IllegalArgumentException("Topic " + name + " has " + targetPartitions.get(name) + " partitions at "
            + target.bootstrapServers() + ", but " + source + " had " + needed + " where it was recorded; records keep their"
            + " partitions, so it needs at least " + needed);
      }
    });
    Cluster.registry(target);
    return new Plan(file, summary, targets);
  }

  /** Registers the plan's writer schemas in the target registry, then publishes its records at {@code speed}. */
  public Result replay(Plan plan, ReplaySpeed speed, Listener listener) throws InterruptedException {
    Map<SubjectSchema, Integer> targetIds = register(plan);
    Instant started = Instant.now();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long published = 0;
    try (Recording.Reader reader = Recording.open(plan.file()); KafkaProducer<byte[], byte[]> producer = producer()) {
      ReplaySchedule schedule = null;
      for (RecordedRecord record = reader.next(); record != null && !stopped; record = reader.next()) {
        String topic = plan.targets().get(record.topic());
        if (topic == null) {
          continue;
        }
        if (schedule == null) {
          schedule = speed.from(clock.now(), record.timestamp());
        }
        awaitDue(schedule.dueAt(record.timestamp()));
        throwIfFailed(failure);
        if (stopped) {
          break;
        }
        Instant at = clock.now();
        producer.send(new ProducerRecord<>(topic, record.partition(), record.timestamp(), record.key(),
            value(record, targetIds)), (metadata, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              }
            });
        listener.published(record, at);
        published++;
      }
      producer.flush();
      throwIfFailed(failure);
    }
    return new Result(published, Duration.between(started, Instant.now()), !stopped);
  }

  private Map<SubjectSchema, Integer> register(Plan plan) {
    SchemaRegistryClient registry = Cluster.registry(target);
    Map<SubjectSchema, Integer> ids = new HashMap<>();
    for (SchemaUse use : plan.summary().schemas()) {
      String topic = plan.targets().get(use.topic());
      if (topic != null) {
        String subject = Topic.valueSubject(topic);
        try {
          ids.put(new SubjectSchema(use.topic(), use.sourceId()), registry.register(subject, use.schema()));
        } catch (SchemaRegistryException e) {
          throw new IllegalArgumentException("The target registry refused " + use.schema().getFullName() + " (schema "
              + use.sourceId() + " where it was recorded) under " + subject + ": " + e.getMessage(), e);
        }
      }
    }
    return ids;
  }

  private void awaitDue(Instant due) throws InterruptedException {
    Duration wait = Duration.between(clock.now(), due);
    while (!stopped && wait.compareTo(Duration.ZERO) > 0) {
      // In slices, so that a stop is heard while waiting for a record hours away.
      clock.sleep(wait.compareTo(LONGEST_SLEEP) < 0 ? wait : LONGEST_SLEEP);
      wait = Duration.between(clock.now(), due);
    }
  }

  private static byte[] value(RecordedRecord record, Map<SubjectSchema, Integer> targetIds) {
    if (record.value() instanceof Avro avro) {
      return avro.framedWith(targetIds.get(new SubjectSchema(record.topic(), avro.schemaId())));
    }
    return record.value() instanceof Raw raw ? raw.frame() : null;
  }

  private static void throwIfFailed(AtomicReference<Exception> failure) {
    Exception error = failure.get();
    if (error != null) {
      throw new IllegalStateException("Publishing failed: " + error.getMessage(), error);
    }
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties config = target.clientConfig();
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "reshape-replay");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
