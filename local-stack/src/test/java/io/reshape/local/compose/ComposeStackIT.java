package io.reshape.local.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reshape.events.Actuation;
import io.reshape.events.DeadLetterCause;
import io.reshape.events.Decision;
import io.reshape.events.Outcome;
import io.reshape.events.Plan;
import io.reshape.local.CommittedRecords;
import io.reshape.local.CommittedRecords.Keyed;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
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
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The compose stack as a user runs it, on a machine without an image registry: the top-level
 * docker-compose.yml with docker-compose.local.yml, built from this checkout's artifacts on
 * Debian-made bases, brought up by Testcontainers through the local docker-compose. Samples reach
 * decisions and dry-run actuations through every container; a killed TaskManager costs no
 * decision and has none applied twice; every query of the dashboards gets an answer from Prometheus.
 * The tests share the stack and run in order.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 25, unit = java.util.concurrent.TimeUnit.MINUTES)
class ComposeStackIT {

  private static final String PROJECT = "reshapecompose";
  /** Build on this checkout's artifacts (the build made them before this test), from the bare Debian base. */
  private static final Map<String, String> BUILD = Map.of("RESHAPE_PREBUILT", "true",
      "RESHAPE_BUILD_IMAGE", "reshape-local/base:bookworm");
  private static final List<String> HEALTH_CHECKED = List.of("kafka", "schema-registry", "jobmanager", "coordinator",
      "agent", "prometheus");
  private static final Path ROOT = Path.of(System.getProperty("reshape.repository", "..")).toAbsolutePath().normalize();
  private static final String FLINK = "http://localhost:8082";
  private static final String PROMETHEUS = "http://localhost:9090";
  private static final KafkaConnection KAFKA = KafkaConnection.of("localhost:9092", "http://localhost:8081/apis/ccompat/v7");

  private static DockerComposeContainer<?> stack;

  @BeforeAll
  static void up() {
    Instant start = Instant.now();
    DockerCli.check(ROOT, Map.of("RESHAPE_LOCAL_BASES", "jre prometheus"), Duration.ofMinutes(10), "docker/local-bases.sh");
    Instant based = Instant.now();
    List<File> files = List.of(ROOT.resolve("docker-compose.yml").toFile(), ROOT.resolve("docker-compose.local.yml").toFile());
    String[] compose = {"docker-compose", "-f", files.get(0).toString(), "-f", files.get(1).toString(), "build"};
    DockerCli.check(ROOT, BUILD, Duration.ofMinutes(10), compose);
    Instant built = Instant.now();
    stack = new DockerComposeContainer<>(PROJECT, files).withEnv(BUILD).withBuild(false).withPull(false).withRemoveVolumes(true)
        .withStartupTimeout(Duration.ofMinutes(5)); // nothing to pull: every image was just built
    stack.start();
    for (String service : HEALTH_CHECKED) {
      String container = DockerCli.containerOf(PROJECT, service);
      await("service " + service + " healthy", Duration.ofMinutes(5),
          () -> "healthy".equals(DockerCli.inspect(container, "{{if .State.Health}}{{.State.Health.Status}}{{end}}")));
    }
    assertThat(DockerCli.inspect(DockerCli.containerOf(PROJECT, "setup"), "{{.State.ExitCode}}")).as("the set-up's exit code")
        .isEqualTo("0");
    Instant healthy = Instant.now();
    System.out.printf("COMPOSE bases %d s, images %d s, stack up and healthy %d s%n", Duration.between(start, based).toSeconds(),
        Duration.between(based, built).toSeconds(), Duration.between(built, healthy).toSeconds());
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      DockerCli.memoryByContainer(PROJECT).forEach(line -> System.out.println("COMPOSE memory " + line));
      stack.stop();
    }
  }

  @Test
  @Order(1)
  void samplesBecomeDecisionsAndDryRunActuationsThroughEveryContainer() {
    List<Keyed<Decision>> decisions = CommittedRecords.await(KAFKA, Topics.DECISIONS, Duration.ofMinutes(4), d -> d.size() >= 3);
    List<Keyed<Actuation>> actuations = CommittedRecords.await(KAFKA, Topics.ACTUATIONS, Duration.ofMinutes(2),
        a -> a.stream().anyMatch(r -> r.value().getOutcome() == Outcome.DRY_RUN));
    Set<String> decided = decisions.stream().map(d -> d.value().getDecisionId()).collect(Collectors.toSet());
    assertThat(actuations).as("every actuation answers a decision the planner made")
        .allSatisfy(a -> assertThat(decided).contains(a.value().getDecisionId()));
    assertThat(actuations).filteredOn(a -> a.value().getOutcome() == Outcome.DRY_RUN)
        .allSatisfy(a -> assertThat(a.value().getDriver()).isEqualTo("dry-run"));
    System.out.printf("COMPOSE flow: %d decisions, %d actuations%n", decisions.size(), actuations.size());
  }

  /**
   * Decisions go out as they are made, at least once (the planner would rather a decision be seen
   * now than at the next checkpoint): after a restore, those made since the checkpoint come again,
   * with the same ids, and the coordinator acts on each id once.
   */
  @Test
  @Order(2)
  void aKilledTaskManagerLosesNoDecisionAndNoneIsAppliedTwice() {
    String job = runningJob();
    await("a completed checkpoint", Duration.ofMinutes(2),
        () -> flink("/jobs/" + job + "/checkpoints").path("counts").path("completed").asInt() > 0);
    int before = CommittedRecords.readAll(KAFKA, Topics.DECISIONS).size();
    String taskManager = DockerCli.containerOf(PROJECT, "taskmanager");
    DockerCli.check(Path.of("."), Map.of(), Duration.ofSeconds(30), "docker", "kill", taskManager);
    Instant killed = Instant.now();
    await("the job noticing its TaskManager gone", Duration.ofMinutes(2),
        () -> !"RUNNING".equals(flink("/jobs/" + job).path("state").asText())
            || flink("/jobs/" + job).path("status-counts").path("RUNNING").asInt() == 0);
    if (!"running".equals(DockerCli.inspect(taskManager, "{{.State.Status}}"))) {
      // A TaskManager in its place, as an orchestrator would start one.
      DockerCli.check(Path.of("."), Map.of(), Duration.ofSeconds(30), "docker", "start", taskManager);
    }
    await("the job restored from a checkpoint", Duration.ofMinutes(3),
        () -> "RUNNING".equals(flink("/jobs/" + job).path("state").asText())
            && flink("/jobs/" + job + "/checkpoints").path("latest").path("restored").has("id"));
    long restoredFrom = flink("/jobs/" + job + "/checkpoints").path("latest").path("restored").path("id").asLong();
    Duration recovery = Duration.between(killed, Instant.now());
    List<String> ids = CommittedRecords.await(KAFKA, Topics.DECISIONS, Duration.ofMinutes(4), d -> d.size() >= before + 3)
        .stream().map(d -> d.value().getDecisionId()).toList();
    Set<String> distinct = new HashSet<>(ids);

    await("the plans naming exactly the decisions on the topic", Duration.ofMinutes(1), () -> {
      Set<String> planned = plannedDecisions();
      return decisionIds().containsAll(planned) && plannedDecisions().containsAll(decisionIds());
    });
    await("an outcome for every decision: none lost", Duration.ofMinutes(2), () -> CommittedRecords.readAll(KAFKA,
        Topics.ACTUATIONS).stream().map(a -> a.value().getDecisionId()).collect(Collectors.toSet()).containsAll(distinct));
    List<Keyed<Actuation>> actuations = CommittedRecords.readAll(KAFKA, Topics.ACTUATIONS);
    Set<String> settled = new HashSet<>();
    assertThat(actuations).filteredOn(a -> a.value().getOutcome() != Outcome.IN_PROGRESS).as("no decision settled twice")
        .allSatisfy(a -> assertThat(settled.add(a.value().getDecisionId() + "/" + a.value().getCommandId() + "/"
            + a.value().getOutcome())).as("%s", a.value()).isTrue());
    System.out.printf("COMPOSE TaskManager kill: job restored from checkpoint %d, running again %d s after the kill;"
        + " decisions on the topic %d before, %d after (%d distinct, %d made again after the restore, none applied twice);"
        + " %d actuations%n", restoredFrom, recovery.toSeconds(), before, ids.size(), distinct.size(), ids.size() - distinct.size(),
        actuations.size());
  }

  private static Set<String> decisionIds() {
    return CommittedRecords.readAll(KAFKA, Topics.DECISIONS).stream().map(d -> d.value().getDecisionId())
        .collect(Collectors.toSet());
  }

  /**
   * Each panel's query answered with data: every metric a dashboard uses reaches Prometheus. A
   * record that is no frame, sent to {@code quanta} and to {@code decisions}, makes sure a dead
   * letter of a Flink job and one of the coordinator are among them.
   */
  @Test
  @Order(3)
  void prometheusAnswersEveryQueryOfTheDashboards() throws Exception {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KAFKA.clientConfig(), new StringSerializer(),
        new ByteArraySerializer())) {
      for (Topic<?> topic : List.of(Topics.QUANTA, Topics.DECISIONS)) {
        producer.send(new ProducerRecord<>(topic.name(), "vm-not-a-frame", new byte[] {0, 0, 1})).get();
      }
    }
    await("the malformed records' dead letters", Duration.ofMinutes(2), () -> CommittedRecords.readAll(KAFKA,
        Topics.DEAD_LETTERS).stream().filter(d -> d.value().getCause() == DeadLetterCause.MALFORMED_FRAME)
        .map(d -> d.value().getSourceTopic().toString()).collect(Collectors.toSet())
        .containsAll(Set.of(Topics.QUANTA.name(), Topics.DECISIONS.name())));
    List<DashboardQueries.Query> queries = DashboardQueries.inDirectory(ROOT.resolve("docker/grafana/dashboards"));
    assertThat(queries).isNotEmpty();
    List<DashboardQueries.Query> unanswered = new ArrayList<>(queries);
    try {
      await("an answer to every query", Duration.ofMinutes(3), () -> {
        unanswered.removeIf(q -> HttpJson.get(PROMETHEUS + "/api/v1/query?query=" + URLEncoder.encode(q.expr(), StandardCharsets.UTF_8))
            .map(answer -> answer.path("data").path("result").size() > 0).orElse(false));
        return unanswered.isEmpty();
      });
    } catch (AssertionError e) {
      throw new AssertionError("Prometheus has no data for " + unanswered, e);
    }
    System.out.printf("COMPOSE Prometheus answered all %d queries of the dashboards%n", queries.size());
  }

  private static Set<String> plannedDecisions() {
    return CommittedRecords.readAll(KAFKA, Topics.PLANS).stream().map(Keyed::value).map(Plan::getDecisionIds)
        .flatMap(List::stream).map(CharSequence::toString).collect(Collectors.toSet());
  }

  private static String runningJob() {
    JsonNode jobs = flink("/jobs/overview").path("jobs");
    for (JsonNode job : jobs) {
      if ("RUNNING".equals(job.path("state").asText())) {
        return job.path("jid").asText();
      }
    }
    throw new AssertionError("No running job: " + jobs);
  }

  private static JsonNode flink(String path) {
    return HttpJson.get(FLINK + path).orElseThrow(() -> new AssertionError("Flink's REST API did not answer " + path));
  }

  static void await(String what, Duration wait, Supplier<Boolean> done) {
    Instant deadline = Instant.now().plus(wait);
    RuntimeException last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        if (done.get()) {
          return;
        }
      } catch (RuntimeException | AssertionError e) {
        last = e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("Not seen within " + wait.toSeconds() + " s: " + what, last);
  }
}
