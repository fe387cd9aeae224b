package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.collectors.sim.Workload;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import io.reshape.events.Decision;
import io.reshape.events.Outcome;
import io.reshape.events.QuantumSample;
import io.reshape.local.ProgressMonitor.Seen;
import io.reshape.local.ProgressMonitor.Snapshot;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * one idle and one busy VM. Garbage goes in first; the page-out that follows proves the job went on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class PipelineIT {

  private static final Duration PAGE_OUT_AFTER = Duration.ofSeconds(6);
  private static final Duration WAIT = Duration.ofSeconds(90);

  private LocalRun run;
  private String idleVm;
  private String busyVm;

  @BeforeAll
  void start() throws Exception {
    RunConfig config = new RunConfig(Duration.ofMinutes(5), 1, 2, Map.of(Workload.IDLE, 1.0, Workload.STEADY, 1.0),
        Duration.ofSeconds(1), 1.0, Duration.ofMinutes(10), 1, 0, Duration.ZERO, Duration.ofSeconds(5), PAGE_OUT_AFTER,
        Duration.ofSeconds(30), 2, Duration.ofSeconds(1), null, true);
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
  void garbageOnTheInputsBecomesDeadLettersWithReasons() throws Exception {
    SchemaRegistryClient registry = SchemaRegistryClient.shared(RegistryConfig.from(run.stack().connection().registryProperties()));
    int quantumSchemaId = registry.register(Topics.QUANTA.valueSubject(), QuantumSample.getClassSchema());
    long now = Instant.now().toEpochMilli();
    QuantumSample impossible = QuantumSample.newBuilder().setVmId(idleVm).setHostId("host-01").setVcpu(0)
        .setIntervalStart(Instant.ofEpochMilli(now - 1000)).setIntervalEnd(Instant.ofEpochMilli(now))
        .setRunNs(-5).setRunqueueWaitNs(0).setVoluntarySwitches(0).setInvoluntarySwitches(0).build();
    RegistryAvroSerializer<QuantumSample> serializer = new RegistryAvroSerializer<>();
    serializer.configure(run.stack().connection().registryProperties(), false);

    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(run.stack().connection().clientConfig(),
        new StringSerializer(), new ByteArraySerializer())) {
      send(producer, Topics.QUANTA.name(), now, "plain text, not a record".getBytes());
      send(producer, Topics.QUANTA.name(), now, withHeader(987_654, new byte[] {2, 4, 6}));
      send(producer, Topics.QUANTA.name(), now, withHeader(quantumSchemaId, new byte[] {10, 118, 109}));
      send(producer, Topics.QUANTA.name(), now, serializer.serialize(Topics.QUANTA.name(), impossible));
      send(producer, Topics.DECISIONS.name(), now, "not a decision".getBytes());
    }

    // Quanta feed two jobs, idleness and footprints: each says what it could not use.
    Snapshot snapshot = await(s -> s.deadLetters().size() >= 9, "nine dead letters");
    List<DeadLetter> letters = snapshot.deadLetters().stream().map(Seen::value).toList();
    Map<String, List<DeadLetterCause>> byStage = letters.stream().filter(d -> d.getSourceTopic().equals("quanta"))
        .collect(Collectors.groupingBy(d -> d.getStage().split("/")[0], Collectors.mapping(DeadLetter::getCause, Collectors.toList())));
    assertThat(byStage).containsOnlyKeys("idleness", "footprints").allSatisfy((stage, causes) -> assertThat(causes)
        .containsExactlyInAnyOrder(DeadLetterCause.MALFORMED_FRAME, DeadLetterCause.UNKNOWN_SCHEMA_ID,
            DeadLetterCause.UNDECODABLE_AVRO, DeadLetterCause.INVALID_VALUE));
    assertThat(letters).allSatisfy(d -> {
      assertThat(d.getReason()).isNotBlank();
      assertThat(d.getRawValue()).isNotNull();
    });
    assertThat(letters).filteredOn(d -> d.getCause() == DeadLetterCause.INVALID_VALUE)
        .hasSize(2).allSatisfy(d -> assertThat(d.getReason()).contains("Negative runNs -5"));
    assertThat(letters).filteredOn(d -> d.getSourceTopic().equals("decisions"))
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
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      Snapshot snapshot = run.monitor().snapshot();
      if (condition.test(snapshot)) {
        return snapshot;
      }
      assertThat(run.pipeline().failure()).isNull();
      Thread.sleep(250);
    }
    throw new AssertionError("No " + what + " within " + WAIT.toSeconds() + " s; seen " + run.monitor().snapshot());
  }

  private void send(KafkaProducer<String, byte[]> producer, String topic, long timestamp, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, null, timestamp, idleVm, value)).get();
  }

  private static byte[] withHeader(int schemaId, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(schemaId).put(body).array();
  }
}
