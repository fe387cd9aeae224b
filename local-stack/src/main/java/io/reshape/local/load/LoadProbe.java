package io.reshape.local.load;

import io.reshape.local.ProcessMemory;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the load on a local run from outside its parts: how far each topic has grown and how far
 * each of Reshape's consumer groups has committed (Kafka's own offsets, so a stage's lag is what a
 * broker sees), and the CPU and resident memory of this JVM and the broker and registry it
 * started, and the size of the analytics' checkpointed state.
 */
public final class LoadProbe implements AutoCloseable {

  private static final Duration ASK = Duration.ofSeconds(10);
  /** Clock ticks a second in /proc's CPU times: 100 on every Linux this runs on (USER_HZ). */
  private static final long CLOCK_TICKS = 100;

  private final Admin admin;
  /** Reads the first record a stage has not committed, for its timestamp: no group, transactions' records too. */
  private final KafkaConsumer<byte[], byte[]> peek;
  private final Set<String> streamsApplications;
  private final Path checkpoints;
  private final List<TopicPartition> partitions = new ArrayList<>();
  private Map<TopicPartition, Long> previousEnd = Map.of();

  /**
   * @param streamsApplications the groups that are Kafka Streams applications, which commit on their own cadence
   * @param checkpoints where the analytics keep their checkpoints
   */
  public LoadProbe(KafkaConnection connection, Set<String> streamsApplications, Path checkpoints) throws Exception {
    this.admin = Admin.create(connection.clientConfig());
    Properties config = connection.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(64 << 10));
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "reshape-load-probe");
    this.peek = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.streamsApplications = Set.copyOf(streamsApplications);
    this.checkpoints = checkpoints;
    for (Topic<?> topic : Topics.ALL) {
      admin.describeTopics(List.of(topic.name())).allTopicNames().get(ASK.toSeconds(), TimeUnit.SECONDS).get(topic.name())
          .partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
    }
  }

  public LoadSample sample() throws InterruptedException, ExecutionException, TimeoutException {
    Instant at = Instant.now();
    Map<TopicPartition, Long> end = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
    admin.listOffsets(latest).all().get(ASK.toSeconds(), TimeUnit.SECONDS).forEach((p, info) -> end.put(p, info.offset()));
    Map<String, Long> endOffsets = new HashMap<>();
    end.forEach((p, offset) -> endOffsets.merge(p.topic(), offset, Long::sum));

    Map<Stage, Long> behind = new HashMap<>();
    Map<Stage, Duration> oldest = new HashMap<>();
    for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(ASK.toSeconds(), TimeUnit.SECONDS)) {
      if (!group.groupId().startsWith("reshape-")) {
        continue;
      }
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
          .partitionsToOffsetAndMetadata().get(ASK.toSeconds(), TimeUnit.SECONDS);
      committed.forEach((p, offset) -> {
        if (offset != null && end.containsKey(p)) {
          Stage stage = new Stage(group.groupId(), p.topic(), !streamsApplications.contains(group.groupId()));
          long waiting = behind(p, end.get(p), offset.offset());
          behind.merge(stage, waiting, Long::sum);
          oldest.merge(stage, waiting == 0 ? Duration.ZERO : waitingSince(p, offset.offset(), at), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
      });
    }
    previousEnd = end;
    List<ProcessHandle> processes = new ArrayList<>();
    processes.add(ProcessHandle.current());
    ProcessHandle.current().descendants().forEach(processes::add);
    Map<String, Duration> byProcess = new HashMap<>();
    processes.forEach(p -> byProcess.merge(role(p), p.info().totalCpuDuration().orElse(Duration.ZERO), Duration::plus));
    Duration cpu = byProcess.values().stream().reduce(Duration.ZERO, Duration::plus);
    long resident = processes.stream().mapToLong(p -> Math.max(0, ProcessMemory.residentBytes(p.pid()))).sum();
    return new LoadSample(at, endOffsets, behind, oldest, cpu, resident, bytesUnder(checkpoints), byProcess, threads());
  }

  /**
   * Records a group has not committed in a partition. A transaction's commit marker takes the
   * offset after its last record and is never consumed, so a reader that read everything of a
   * partition written in transactions stays one offset short of its end: in a partition nothing
   * was written to since the last sample, that one offset is the marker.
   */
  private long behind(TopicPartition partition, long end, long committed) {
    long behind = Math.max(0, end - committed);
    return behind == 1 && previousEnd.getOrDefault(partition, -1L) == end ? 0 : behind;
  }

  /** How long the record at {@code offset} has waited, by its timestamp; zero if there is none to read (a commit marker). */
  private Duration waitingSince(TopicPartition partition, long offset, Instant now) {
    peek.assign(List.of(partition));
    peek.seek(partition, offset);
    for (int poll = 0; poll < 3; poll++) {
      for (ConsumerRecord<byte[], byte[]> record : peek.poll(Duration.ofMillis(200)).records(partition)) {
        return Duration.ofMillis(Math.max(0, now.toEpochMilli() - record.timestamp()));
      }
    }
    return Duration.ZERO;
  }

  /** What a process of the run is, from its command line. */
  private static String role(ProcessHandle process) {
    if (process.pid() == ProcessHandle.current().pid()) {
      return "pipeline";
    }
    String command = String.join(" ", process.info().arguments().orElse(new String[0])).toLowerCase(Locale.ROOT);
    return command.contains("quarkus") || command.contains("apicurio") ? "registry" : command.contains("kafka") ? "broker"
        : "process " + process.pid();
  }

  /**
   * CPU time of this JVM's threads by name, numbers taken out, from {@code /proc/self/task}: the
   * kernel sees every thread, RocksDB's native ones too (their names cut at 15 characters).
   */
  private static Map<String, Duration> threads() {
    Map<String, Duration> byName = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.forEach(task -> {
        try {
          String name = Files.readString(task.resolve("comm")).trim().replaceAll("\\d+", "N");
          String stat = Files.readString(task.resolve("stat"));
          // Fields after the name in parentheses: utime and stime are the 12th and 13th, in clock ticks.
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          byName.merge(name, Duration.ofMillis(ticks * 1000 / CLOCK_TICKS), Duration::plus);
        } catch (IOException | RuntimeException e) {
          // A thread that ended while it was read.
        }
      });
    } catch (IOException e) {
      return Map.of(); // no /proc here: no figures by thread
    }
    return byName;
  }

  private static long bytesUnder(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> {
        try {
          return Files.size(file);
        } catch (IOException e) {
          return 0; // a checkpoint file removed while counting
        }
      }).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0; // a checkpoint directory removed while walking
    }
  }

  @Override
  public void close() {
    peek.close(ASK);
    admin.close(ASK);
  }
}
