package io.reshape.local.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.collectors.Sample;
import io.reshape.collectors.sim.FleetSpec;
import io.reshape.collectors.sim.SimulatedFleet;
import io.reshape.events.Action;
import io.reshape.events.Benefit;
import io.reshape.events.Cost;
import io.reshape.events.Decision;
import io.reshape.local.LocalStack;
import io.reshape.local.recording.TransferProgress.Measure;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.NewerSchemas;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.serde.RecordDecodingException;
import io.reshape.schemas.serde.RegistryAvroDecoder;
import io.reshape.schemas.serde.RegistryAvroEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record and replay between two stacks of their own (a broker and a registry each): what the
 * first holds, written in transactions as collectors write, is recorded and replayed into the
 * second, which then holds the same records, framed with its own registry's ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(420)
class RecordReplayIT {

  private static final List<String> TOPICS = List.of(Topics.QUANTA.name(), Topics.DIRTY_PAGES.name(), Topics.TRAFFIC.name(),
      Topics.PAGE_FINGERPRINTS.name(), Topics.INVENTORY.name(), Topics.DECISIONS.name());
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int INTERVALS = 10;

  @TempDir
  static Path dir;

  private LocalStack source;
  private LocalStack target;
  private Path recording;
  private Recorder.Result recorded;
  private TransferProgress recordingProgress;

  @BeforeAll
  void recordWhatTheFirstStackHolds() throws Exception {
    CompletableFuture<LocalStack> first = CompletableFuture.supplyAsync(RecordReplayIT::startStack);
    CompletableFuture<LocalStack> second = CompletableFuture.supplyAsync(RecordReplayIT::startStack);
    source = first.join();
    target = second.join();
    publishFleetAndOddities(source.connection(), Instant.now().minus(Duration.ofMinutes(10)).toEpochMilli());
    // The target's registry holds other schemas already, so its ids cannot match the source's by chance.
    SchemaRegistryClient targetRegistry = registry(target.connection());
    for (Topic<?> topic : List.of(Topics.ACTUATIONS, Topics.COMMANDS, Topics.FOOTPRINTS)) {
      targetRegistry.register("unrelated-" + topic.valueSubject(), topic.valueSchema());
    }

    recording = dir.resolve("source.recording");
    recordingProgress = new TransferProgress(Measure.OFFSETS);
    recorded = new Recorder(source.connection()).record(recording, TOPICS, false, recordingProgress);
  }

  private static LocalStack startStack() {
    try {
      return LocalStack.start(null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  void stopStacks() {
    if (source != null) {
      source.close();
    }
    if (target != null) {
      target.close();
    }
  }

  @Test
  void aReplayIntoAnotherStackHoldsTheSameRecordsFramedWithItsOwnSchemaIds() throws Exception {
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> written = readCommitted(source.connection(), TOPICS);
    long committed = written.values().stream().mapToLong(List::size).sum();
    assertThat(recorded.records()).as("every committed record, no aborted one").isEqualTo(committed);
    assertThat(recorded.complete()).isTrue();
    assertThat(recordingProgress.lines()).filteredOn(line -> line.topic().equals(Topics.TRAFFIC.name()))
        .singleElement().satisfies(line -> assertThat(line.raw()).as("the frame that is not one").isEqualTo(1));
    assertThat(recordingProgress.lines()).allSatisfy(line -> assertThat(line.fraction()).isEqualTo(1.0));

    List<Long> order = new ArrayList<>();
    Replayer replayer = new Replayer(target.connection(), WallClock.SYSTEM);
    Replayer.Result replayed = replayer.replay(replayer.plan(recording, List.of(), ""), ReplaySpeed.MAX,
        (record, at) -> order.add(record.timestamp()));
    assertThat(replayed.records()).isEqualTo(committed);
    assertThat(order).as("timestamp order across partitions").isSorted();

    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> copied = readCommitted(target.connection(), TOPICS);
    assertThat(copied.keySet()).as("the same partitions").isEqualTo(written.keySet());
    Map<TopicPartition, List<Seen>> expected = decoded(written, registry(source.connection()));
    Map<TopicPartition, List<Seen>> actual = decoded(copied, registry(target.connection()));
    Map<Integer, Integer> targetIdOfSourceId = new HashMap<>();
    for (TopicPartition partition : written.keySet()) {
      assertThat(actual.get(partition)).as(partition + ": keys, timestamps and values, in order")
          .containsExactlyElementsOf(expected.get(partition));
      for (int i = 0; i < written.get(partition).size(); i++) {
        int sourceId = schemaId(written.get(partition).get(i));
        int targetId = schemaId(copied.get(partition).get(i));
        if (sourceId >= 0) {
          assertThat(targetId).as("schema ids of different registries").isNotEqualTo(sourceId);
          assertThat(targetIdOfSourceId.computeIfAbsent(sourceId, id -> targetId)).as("one target id per source id")
              .isEqualTo(targetId);
        }
      }
    }
    assertThat(targetIdOfSourceId).as("inventory, quanta, dirty pages, traffic, fingerprints, two decision schemas").hasSize(7);
    assertThat(expected.values().stream().flatMap(List::stream).filter(seen -> seen.value() == null)).as("tombstones").hasSize(1);
    assertThat(expected.values().stream().flatMap(List::stream).filter(seen -> seen.value() instanceof String)).as("raw frames")
        .containsExactly(new Seen("vm-01-02", written.keySet().stream().filter(p -> p.topic().equals(Topics.TRAFFIC.name()))
            .flatMap(p -> written.get(p).stream()).mapToLong(ConsumerRecord::timestamp).max().orElseThrow(),
            "raw " + HexFormat.of().formatHex("not a registry frame".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void aReplayPublishesEachRecordWhenItIsDueByItsClockNeverBefore() throws Exception {
    try (Admin admin = Admin.create(target.connection().clientConfig())) {
      admin.createTopics(List.of(new NewTopic("paced.quanta", 6, (short) 1))).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    for (String speed : List.of("1", "60", "max")) {
      VirtualClock clock = new VirtualClock(Instant.parse("2026-03-01T12:00:00Z"));
      Replayer replayer = new Replayer(target.connection(), clock);
      List<Long> timestamps = new ArrayList<>();
      List<Instant> publishedAt = new ArrayList<>();
      Replayer.Result replayed = replayer.replay(replayer.plan(recording, List.of(Topics.QUANTA.name()), "paced."),
          ReplaySpeed.parse(speed), (record, at) -> {
            timestamps.add(record.timestamp());
            publishedAt.add(at);
          });

      double factor = ReplaySpeed.parse(speed).factor();
      List<Instant> due = timestamps.stream()
          .map(t -> clock.start.plusNanos(Math.round((t - timestamps.get(0)) * 1e6 / factor))).toList();
      assertThat(replayed.records()).isPositive();
      assertThat(timestamps.get(timestamps.size() - 1) - timestamps.get(0)).as("the quanta span intervals")
          .isGreaterThanOrEqualTo((INTERVALS - 1) * 1000L);
      assertThat(publishedAt).as("at speed " + speed + ", each record exactly when due: never before, never held back")
          .containsExactlyElementsOf(due);
      assertThat(clock.now()).isEqualTo(due.get(due.size() - 1));
    }
  }

  @Test
  void followingRecordsWhatIsCommittedAfterTheStartUntilStopped() throws Exception {
    try (Admin admin = Admin.create(source.connection().clientConfig())) {
      admin.createTopics(List.of(new NewTopic("followed", 2, (short) 1))).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    long base = Instant.now().toEpochMilli();
    publishRaw(source.connection(), "followed", base, 0, 5);
    Path file = dir.resolve("followed.recording");
    Recorder recorder = new Recorder(source.connection());
    TransferProgress progress = new TransferProgress(Measure.OFFSETS);
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<Recorder.Result> following = background.submit(() -> recorder.record(file, List.of("followed"), true, progress));
      awaitRecords(progress, 5);
      publishRaw(source.connection(), "followed", base, 5, 3);
      awaitRecords(progress, 8);
      recorder.stop();
      Recorder.Result result = following.get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(result.records()).isEqualTo(8);
      assertThat(RecordingTest.readAll(file)).extracting(r -> new String(((RecordedValue.Raw) r.value()).frame(), StandardCharsets.UTF_8))
          .containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7");
    } finally {
      background.shutdownNow();
    }
  }

  @Test
  void whatCannotBeRecordedOrReplayedIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path file = dir.resolve("never.recording");
    assertThatThrownBy(() -> new Recorder(source.connection()).record(file, List.of("quanta", "no-such-topic"), false,
        new TransferProgress(Measure.OFFSETS)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no topic no-such-topic; it has ");
    assertThat(file).doesNotExist();

    Replayer replayer = new Replayer(target.connection(), WallClock.SYSTEM);
    assertThatThrownBy(() -> replayer.plan(recording, List.of("nope"), ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no topic nope; it has quanta, dirty-pages");
    assertThatThrownBy(() -> replayer.plan(recording, List.of(), "missing."))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no topics missing.").hasMessageContaining("missing.quanta");
    try (Admin admin = Admin.create(target.connection().clientConfig())) {
      admin.createTopics(List.of(new NewTopic("narrow.quanta", 2, (short) 1))).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> replayer.plan(recording, List.of("quanta"), "narrow."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Topic narrow.quanta has 2 partitions")
        .hasMessageContaining("needs at least 6");
    assertThat(readCommitted(target.connection(), List.of("narrow.quanta"))).as("nothing published").isEmpty();
  }

  /** A record as a reader of its own stack sees it: the value decoded with its writer schema, or its bytes in hex. */
  private record Seen(String key, long timestamp, Object value) {}

  private static Map<TopicPartition, List<Seen>> decoded(Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> log,
      SchemaRegistryClient registry) {
    RegistryAvroDecoder<GenericRecord> decoder = new RegistryAvroDecoder<>(registry, null, false);
    Map<TopicPartition, List<Seen>> decoded = new HashMap<>();
    log.forEach((partition, records) -> decoded.put(partition, records.stream().map(record -> {
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      try {
        return new Seen(key, record.timestamp(), decoder.decode(record.value()));
      } catch (RecordDecodingException e) {
        return new Seen(key, record.timestamp(), "raw " + HexFormat.of().formatHex(record.value()));
      }
    }).toList()));
    return decoded;
  }

  /** The schema id a value's frame names; -1 for a tombstone or what is not a frame. */
  private static int schemaId(ConsumerRecord<byte[], byte[]> record) {
    byte[] value = record.value();
    return value == null || value.length < 5 || value[0] != 0 ? -1 : ByteBuffer.wrap(value, 1, 4).getInt();
  }

  /**
   * Ten seconds of a small simulated fleet, and what a fleet seldom sends: a VM's tombstone, a
   * decision written with a newer schema, a frame that is not one, and a transaction that aborts.
   */
  private static void publishFleetAndOddities(KafkaConnection kafka, long base) throws Exception {
    RegistryAvroEncoder encoder = new RegistryAvroEncoder(registry(kafka));
    Properties config = kafka.clientConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "record-replay-it");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        SimulatedFleet fleet = new SimulatedFleet(new FleetSpec(2, 3, FleetSpec.DEFAULT_MIX, Duration.ofMinutes(10), 7, 0,
            Duration.ZERO))) {
      producer.initTransactions();
      producer.beginTransaction();
      List<Sample<?>> samples = new ArrayList<>(fleet.inventory(Instant.ofEpochMilli(base)));
      for (int i = 0; i < INTERVALS; i++) {
        samples.addAll(fleet.tick(Instant.ofEpochMilli(base + i * 1000L), Instant.ofEpochMilli(base + (i + 1) * 1000L)));
      }
      for (Sample<?> sample : samples) {
        producer.send(new ProducerRecord<>(sample.topic().name(), null, sample.eventTime().toEpochMilli(), sample.key(),
            encoder.encode(sample.topic().valueSubject(), sample.value())));
      }
      producer.commitTransaction();

      long after = base + INTERVALS * 1000L;
      Decision decision = Decision.newBuilder().setDecisionId("d-1").setCreatedAt(Instant.ofEpochMilli(after)).setAction(Action.PAGE_OUT)
          .setVmId("vm-01-01").setHostId("host-01").setReason("idle").setExpectedBenefit(new Benefit(1L, 0, 0.0, 0L))
          .setExpectedCost(new Cost(1L, 0L, 0L)).setDeadline(Instant.ofEpochMilli(after).plusSeconds(300)).build();
      IndexedRecord newer = NewerSchemas.withSymbol(decision,
          NewerSchemas.withEnumSymbol(Decision.getClassSchema(), "Action", "HIBERNATE"), "action", "HIBERNATE");
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(Topics.INVENTORY.name(), null, after + 100, InventoryKeys.vm("vm-01-01"), (byte[]) null));
      producer.send(new ProducerRecord<>(Topics.DECISIONS.name(), null, after + 200, "vm-01-01",
          encoder.encode(Topics.DECISIONS.valueSubject(), decision)));
      producer.send(new ProducerRecord<>(Topics.DECISIONS.name(), null, after + 300, "vm-01-01",
          encoder.encode(Topics.DECISIONS.valueSubject(), newer)));
      producer.send(new ProducerRecord<>(Topics.TRAFFIC.name(), null, after + 400, "vm-01-02",
          "not a registry frame".getBytes(StandardCharsets.UTF_8)));
      producer.commitTransaction();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>(Topics.QUANTA.name(), null, after + 500, "aborted", new byte[] {0, 0, 0, 0, 1}));
      producer.flush();
      producer.abortTransaction();
    }
  }

  private static void publishRaw(KafkaConnection kafka, String topic, long base, int from, int count) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientConfig(), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (int i = from; i < from + count; i++) {
        producer.send(new ProducerRecord<>(topic, 0, base + i, null, ("r" + i).getBytes(StandardCharsets.UTF_8))).get();
      }
    }
  }

  private static void awaitRecords(TransferProgress progress, long records) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (progress.lines().stream().mapToLong(TransferProgress.Line::records).sum() < records) {
      assertThat(Instant.now()).as("%d records recorded in time", records).isBefore(deadline);
      Thread.sleep(50);
    }
  }

  private static SchemaRegistryClient registry(KafkaConnection kafka) {
    return SchemaRegistryClient.shared(RegistryConfig.from(kafka.registryProperties()));
  }

  /** What the topics hold for a read_committed reader, partition by partition. */
  private static Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> readCommitted(KafkaConnection kafka, List<String> topics) {
    Properties config = kafka.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> log = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = topics.stream().flatMap(t -> consumer.partitionsFor(t).stream())
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plus(WAIT);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(Instant.now()).as("read to the end in time").isBefore(deadline);
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          log.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new ArrayList<>()).add(record);
        }
      }
    }
    return log;
  }

  /** A clock that moves only when the replay sleeps: pacing without waiting, whatever the machine's speed. */
  private static final class VirtualClock implements WallClock {
    final Instant start;
    private Instant now;

    VirtualClock(Instant start) {
      this.start = start;
      this.now = start;
    }

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public void sleep(Duration duration) {
      now = now.plus(duration);
    }
  }
}
