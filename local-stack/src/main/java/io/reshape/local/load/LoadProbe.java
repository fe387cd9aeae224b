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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the load on a local run from outside its parts: how far each topic has grown and how far
 * each of Reshape's consumer groups has committed (Kafka's own offsets, so a stage's lag is what a
 * broker sees), and the CPU and resident memory of this JVM and the broker and registry it
 * started, and the size of the analytics' checkpointed state.
 */
public final class LoadProbe implements AutoCloseable {

  private static final Duration ASK = Duration.ofSeconds(10);

  private final Admin admin;
  private final Set<String> streamsApplications;
  private final Path checkpoints;
  private final List<TopicPartition> partitions = new ArrayList<>();

  /**
   * @param streamsApplications the groups that are Kafka Streams applications, which commit on their own cadence
   * @param checkpoints where the analytics keep their checkpoints
   */
  public LoadProbe(KafkaConnection connection, Set<String> streamsApplications, Path checkpoints) throws Exception {
    this.admin = Admin.create(connection.clientConfig());
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
    for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(ASK.toSeconds(), TimeUnit.SECONDS)) {
      if (!group.groupId().startsWith("reshape-")) {
        continue;
      }
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
          .partitionsToOffsetAndMetadata().get(ASK.toSeconds(), TimeUnit.SECONDS);
      committed.forEach((p, offset) -> {
        if (offset != null && end.containsKey(p)) {
          Stage stage = new Stage(group.groupId(), p.topic(), !streamsApplications.contains(group.groupId()));
          behind.merge(stage, Math.max(0, end.get(p) - offset.offset()), Long::sum);
        }
      });
    }
    List<ProcessHandle> processes = new ArrayList<>();
    processes.add(ProcessHandle.current());
    ProcessHandle.current().descendants().forEach(processes::add);
    Duration cpu = processes.stream().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO)).reduce(Duration.ZERO, Duration::plus);
    long resident = processes.stream().mapToLong(p -> Math.max(0, ProcessMemory.residentBytes(p.pid()))).sum();
    return new LoadSample(at, endOffsets, behind, cpu, resident, bytesUnder(checkpoints));
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
    admin.close(ASK);
  }
}
