package io.reshape.local.recording;

import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Copies topics of a cluster into a recording: committed records only, from the beginning of each
 * partition to where it ended when the recording started, or on until {@link #stop()} when
 * following. Records are written in replay order (see {@link TimestampMerge}); a partition read
 * far ahead of the others is paused meanwhile, so memory stays bounded.
 */
public final class Recorder {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final long MAX_WAITING_BYTES = 4L << 20;

  /**
   * What a recording holds; its progress counts the records by topic, raw frames among them.
   *
   * @param complete whether every partition was read to its end (false when stopped early)
   */
  public record Result(long records, long fileBytes, Duration took, boolean complete) {}

  private final KafkaConnection source;
  private final Map<Integer, Optional<Schema>> writerSchemas = new HashMap<>();
  private volatile boolean stopped;

  public Recorder(KafkaConnection source) {
    this.source = source;
  }

  /** Ends the recording at the next poll; it is closed properly and holds what was read until then. */
  public void stop() {
    stopped = true;
  }

  /**
   * Records {@code topics} into {@code file}, which must not exist.
   *
   * @param follow go on past the end offsets, with records as they are committed, until stopped
   */
  public Result record(Path file, List<String> topics, boolean follow, TransferProgress progress) {
    SchemaRegistryClient registry = Cluster.registry(source);
    Map<String, Integer> partitionCounts = Cluster.partitions(source, topics);
    List<TopicPartition> partitions = partitionCounts.entrySet().stream()
        .flatMap(t -> IntStream.range(0, t.getValue()).mapToObj(p -> new TopicPartition(t.getKey(), p))).toList();
    Instant start = Instant.now();
    Set<TopicPartition> atEnd = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(); Recording.Writer writer = Recording.create(file, partitionCounts)) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      // With read_committed these are the last stable offsets: nothing before them can still be aborted.
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      partitionCounts.keySet().forEach(t -> progress.expect(t, offsetsToRead(t, partitions, begin, end)));
      TimestampMerge merge = new TimestampMerge(partitions);
      while (!stopped && (follow || atEnd.size() < partitions.size())) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          if (follow || record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
            merge.add(new RecordedRecord(record.topic(), record.partition(), record.offset(), record.key(), record.timestamp(),
                RecordedValue.of(record.value(), id -> writerSchema(registry, id))));
          }
        }
        for (TopicPartition partition : partitions) {
          if (consumer.position(partition) >= end.get(partition) && atEnd.add(partition)) {
            merge.finish(partition);
          }
        }
        throttle(consumer, merge, partitions, follow ? Set.of() : atEnd);
        write(merge.release(), writer, progress);
        reportPositions(consumer, partitions, begin, end, progress);
      }
      write(merge.releaseAll(), writer, progress);
      writer.finish();
      return new Result(writer.records(), size(file), Duration.between(start, Instant.now()), atEnd.size() == partitions.size());
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties config = source.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "reshape-record");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The writer schema of an id; none when the registry does not have it (asked once per id). */
  private Optional<Schema> writerSchema(SchemaRegistryClient registry, int id) {
    return writerSchemas.computeIfAbsent(id, i -> {
      try {
        return Optional.of(registry.schemaById(i));
      } catch (SchemaRegistryException e) {
        if (e.isSchemaNotFound()) {
          return Optional.empty();
        }
        throw e;
      }
    });
  }

  /** Pauses partitions with much waiting (or, unless following, nothing more to read) and resumes the rest. */
  private static void throttle(KafkaConsumer<byte[], byte[]> consumer, TimestampMerge merge, List<TopicPartition> partitions,
      Set<TopicPartition> finished) {
    Set<TopicPartition> pause = partitions.stream()
        .filter(p -> finished.contains(p) || merge.waitingBytes(p) > MAX_WAITING_BYTES).collect(Collectors.toSet());
    consumer.pause(pause);
    consumer.resume(partitions.stream().filter(p -> !pause.contains(p)).toList());
  }

  private static void write(List<RecordedRecord> records, Recording.Writer writer, TransferProgress progress) {
    for (RecordedRecord record : records) {
      writer.append(record);
      progress.moved(record);
    }
  }

  private static long offsetsToRead(String topic, List<TopicPartition> partitions, Map<TopicPartition, Long> begin,
      Map<TopicPartition, Long> end) {
    return partitions.stream().filter(p -> p.topic().equals(topic)).mapToLong(p -> end.get(p) - begin.get(p)).sum();
  }

  private static void reportPositions(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
      Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end, TransferProgress progress) {
    Map<String, Long> done = new HashMap<>();
    for (TopicPartition partition : partitions) {
      long position = Math.min(consumer.position(partition), end.get(partition));
      done.merge(partition.topic(), position - begin.get(partition), Long::sum);
    }
    done.forEach(progress::reached);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
