package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.collectors.sim.Workload;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import io.reshape.events.Decision;
import io.reshape.events.Outcome;
import io.reshape.local.ProgressMonitor.Seen;
import io.reshape.local.ProgressMonitor.Snapshot;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The whole pipeline as the run command starts it: a real broker and registry, the Flink job in a
 * MiniCluster at parallelism 2, the actuator's Kafka Streams applications, and a simulated fleet of
 * one idle and one busy VM. A flood of malformed input goes in first; the page-out that follows
 * proves the job went on and decided as it would have without it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class PipelineIT {

  private static final Duration PAGE_OUT_AFTER = Duration.ofSeconds(6);
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** Records naming a VM or host the inventory does not list wait 20 s for it before they are refused. */
  private static final Duration FLOOD_WAIT = Duration.ofSeconds(150);
  private static final List<Topic<?>> ANALYTICS = List.of(Topics.IDLENESS, Topics.WRITTEN_SETS, Topics.FOOTPRINTS, Topics.SHARING);
  /** The stages that read each topic the collectors write, by the first part of their name. */
  private static final Map<Topic<?>, List<String>> READERS = Map.of(
      Topics.QUANTA, List.of("idleness", "footprints"),
      Topics.DIRTY_PAGES, List.of("generations"),
      Topics.TRAFFIC, List.of("footprints"),
      Topics.PAGE_FINGERPRINTS, List.of("sharing"),
      Topics.INVENTORY, List.of("idleness", "footprints", "generations", "sharing", "planner", "reshape-coordinator"));

  private LocalRun run;
  private String idleVm;
  private String busyVm;

  @BeforeAll
  void start() throws Exception {
    RunConfig config = new RunConfig(Duration.ofMinutes(5), 1, 2, Map.of(Workload.IDLE, 1.0, Workload.STEADY, 1.0),
        Duration.ofSeconds(1), 1.0, Duration.ofMinutes(10), 1, 0, Duration.ZERO, Duration.ofSeconds(5), PAGE_OUT_AFTER,
        Duration.ofSeconds(30), Duration.ofSeconds(2), 2, 1, Duration.ofSeconds(1), 1, null, true, 0);
    run = LocalRun.start(config, false);
    idleVm = run.fleet().orElseThrow().vmsRunning(Workload.IDLE).get(0);
    busyVm = run.fleet().orElseThrow().vmsRunning(Workload.STEADY).get(0);
  }

  @AfterAll
  void stop() {
    if (run != null) {
      run.close();
    }
  }

  @Test
  @Order(1)
  void aFloodOfMalformedInputIsRefusedRecordForRecordWithItsCause() throws Exception {
    // While the pipeline runs: every job has published, so event time has moved in each. (Before
    // that, a record a day old is where a job's event time starts, as in a replay.)
    await(s -> ANALYTICS.stream().allMatch(t -> s.records(t) > 0), "a record on each of " + ANALYTICS);
    MalformedInput malformed = new MalformedInput(run.stack().connection().registryProperties(), idleVm, "host-01");
    Instant now = Instant.now();
    List<MalformedInput.Bad> flood = new ArrayList<>();
    for (Topic<?> topic : READERS.keySet()) {
      flood.addAll(malformed.forTopic(topic, topic.equals(Topics.INVENTORY) ? 250 : 100, now));
    }
    Map<String, DeadLetterCause> expected = new HashMap<>();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(run.stack().connection().clientConfig(),
        new StringSerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (MalformedInput.Bad bad : flood) {
        sent.add(producer.send(new ProducerRecord<>(bad.topic().name(), null, bad.timestamp(), bad.key(), bad.value())));
      }
      for (int i = 0; i < flood.size(); i++) {
        RecordMetadata at = sent.get(i).get();
        expected.put(coordinates(at.topic(), at.partition(), at.offset()), flood.get(i).cause());
      }
      send(producer, Topics.DECISIONS.name(), now.toEpochMilli(), "not a decision".getBytes());
      // A clock a day ahead does not get past the broker.
      Instant dayAhead = now.plus(MalformedInput.DAY);
      byte[] sample = malformed.encode(Topics.QUANTA, MalformedInput.valid(Topics.QUANTA, idleVm, "host-01", dayAhead));
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.QUANTA.name(), null, dayAhead.toEpochMilli(), idleVm, sample)).get())
          .hasCauseInstanceOf(InvalidTimestampException.class);
    }
    assertThat(READERS.keySet()).allSatisfy(topic -> assertThat(flood).filteredOn(b -> b.topic().equals(topic)).hasSize(1_000));

    int letters = flood.stream().mapToInt(b -> READERS.get(b.topic()).size()).sum() + 1;
    Snapshot snapshot = await(s -> s.deadLetters().size() >= letters, letters + " dead letters", FLOOD_WAIT);
    Thread.sleep(3_000); // a checkpoint more, for any letter too many
    List<DeadLetter> refused = run.monitor().snapshot().deadLetters().stream().map(Seen::value).toList();

    System.out.println("Flood of " + flood.size() + " records: " + refused.size() + " dead letters; by topic, stage and cause: "
        + refused.stream().collect(Collectors.groupingBy(d -> d.getSourceTopic() + " " + stageOf(d) + " " + d.getCause(),
            TreeMap::new, Collectors.counting())));

    // Each stage that reads a topic refused each of its flooded records once, for the cause it has,
    // and nothing else: the good records around them all went through.
    Set<String> floodedTopics = READERS.keySet().stream().map(Topic::name).collect(Collectors.toSet());
    Map<String, Long> perStageAndRecord = refused.stream().filter(d -> floodedTopics.contains(d.getSourceTopic()))
        .collect(Collectors.groupingBy(d -> stageOf(d) + " " + coordinates(d), Collectors.counting()));
    assertThat(perStageAndRecord).allSatisfy((record, times) -> assertThat(times).as(record).isOne());
    for (Map.Entry<Topic<?>, List<String>> readers : READERS.entrySet()) {
      Set<String> flooded = expected.keySet().stream().filter(c -> c.startsWith(readers.getKey().name() + "/")).collect(Collectors.toSet());
      Map<String, Set<String>> byStage = refused.stream().filter(d -> d.getSourceTopic().equals(readers.getKey().name()))
          .collect(Collectors.groupingBy(PipelineIT::stageOf, Collectors.mapping(PipelineIT::coordinates, Collectors.toSet())));
      assertThat(byStage.keySet()).as(readers.getKey().name()).containsExactlyInAnyOrderElementsOf(readers.getValue());
      byStage.forEach((stage, records) -> {
        List<String> missing = flooded.stream().filter(c -> !records.contains(c)).sorted().limit(5).map(c -> c + " " + expected.get(c)).toList();
        List<String> extra = records.stream().filter(c -> !flooded.contains(c)).sorted().limit(5).toList();
        assertThat(records.size() == flooded.size() && missing.isEmpty()).as("%s on %s: %d of %d refused; missing %s; not flooded %s",
            stage, readers.getKey().name(), records.size(), flooded.size(), missing, extra).isTrue();
      });
    }
    assertThat(refused).filteredOn(d -> expected.containsKey(coordinates(d))).allSatisfy(d -> {
      assertThat(d.getCause()).as(d.getStage() + " " + d.getReason()).isEqualTo(expected.get(coordinates(d)));
      assertThat(d.getReason()).isNotBlank();
      assertThat(d.getRawValue()).isNotNull();
    });
    assertThat(refused).filteredOn(d -> d.getSourceTopic().equals("decisions"))
        .singleElement().satisfies(d -> {
          assertThat(d.getStage()).startsWith("reshape-coordinator");
          assertThat(d.getCause()).isEqualTo(DeadLetterCause.MALFORMED_FRAME);
        });
    assertThat(run.pipeline().failure()).isNull();
  }

  @Test
  @Order(2)
  void anIdleVmIsPagedOutExactlyOnceAndABusyVmNever() throws Exception {
    await(s -> actuations(s, idleVm).size() >= 1, "the idle VM's actuation");
    // Let event time run well past the page-out, through several checkpoints, before counting.
    Thread.sleep(8_000);
    Snapshot snapshot = run.monitor().snapshot();

    List<Decision> idleDecisions = decisions(snapshot, idleVm);
    assertThat(idleDecisions).singleElement().satisfies(d -> {
      assertThat(d.getAction()).isEqualTo(Action.PAGE_OUT);
      assertThat(d.getHostId()).isEqualTo("host-01");
      assertThat(d.getExpectedBenefit().getMemoryBytes()).isPositive();
    });
    assertThat(actuations(snapshot, idleVm)).singleElement().satisfies(a -> {
      assertThat(a.getDecisionId()).isEqualTo(idleDecisions.get(0).getDecisionId());
      assertThat(a.getOutcome()).isEqualTo(Outcome.DRY_RUN);
    });
    assertThat(decisions(snapshot, busyVm)).isEmpty();
    assertThat(actuations(snapshot, busyVm)).isEmpty();
    assertThat(run.publisher().orElseThrow().lost()).isZero();
    assertThat(run.pipeline().failure()).isNull();
  }

  @Test
  @Order(3)
  void theAnalyticsPublishWhatTheFleetDoes() throws Exception {
    // The two VMs form one service: they talk to each other and started from one image.
    List<Topic<?>> outputs = List.of(Topics.WRITTEN_SETS, Topics.FOOTPRINTS, Topics.AFFINITIES, Topics.SHARING);
    Snapshot snapshot = await(s -> outputs.stream().allMatch(t -> s.records(t) > 0), "record on each of " + outputs);
    assertThat(outputs).allSatisfy(t -> assertThat(snapshot.records(t)).as(t.name()).isPositive());
    assertThat(run.pipeline().failure()).isNull();
  }

  private static List<Decision> decisions(Snapshot s, String vm) {
    return s.decisions().stream().map(Seen::value).filter(d -> vm.equals(d.getVmId())).toList();
  }

  private static List<Actuation> actuations(Snapshot s, String vm) {
    return s.actuations().stream().map(Seen::value).filter(a -> vm.equals(a.getVmId())).toList();
  }

  private Snapshot await(Predicate<Snapshot> condition, String what) throws Exception {
    return await(condition, what, WAIT);
  }

  private Snapshot await(Predicate<Snapshot> condition, String what, Duration wait) throws Exception {
    Instant deadline = Instant.now().plus(wait);
    while (Instant.now().isBefore(deadline)) {
      Snapshot snapshot = run.monitor().snapshot();
      if (condition.test(snapshot)) {
        return snapshot;
      }
      assertThat(run.pipeline().failure()).isNull();
      Thread.sleep(250);
    }
    throw new AssertionError("No " + what + " within " + wait.toSeconds() + " s; seen " + run.monitor().snapshot());
  }

  private void send(KafkaProducer<String, byte[]> producer, String topic, long timestamp, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, null, timestamp, idleVm, value)).get();
  }

  private static String stageOf(DeadLetter letter) {
    return letter.getStage().split("/")[0];
  }

  private static String coordinates(DeadLetter letter) {
    return coordinates(letter.getSourceTopic(), letter.getPartition(), letter.getOffset());
  }

  private static String coordinates(String topic, int partition, long offset) {
    return topic + "/" + partition + "@" + offset;
  }
}
