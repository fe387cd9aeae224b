package io.reshape.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.executor.ExecutorConfig;
import io.reshape.collectors.CollectorConfig;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.host.QmpConnections;
import io.reshape.local.CommittedRecords;
import io.reshape.local.LocalStack;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Outcomes;
import io.reshape.schemas.TopicProvisioner;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host agent's one endpoint on a real broker, on any host (no guest needed): both roles'
 * meters on /metrics, a dry-run actuation labelled as one, and /health.
 */
@Timeout(180)
class HostAgentEndpointIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void oneEndpointServesBothRolesMetersAndTheAgentsHealth() throws Exception {
    try (LocalStack stack = LocalStack.start(null); Admin admin = Admin.create(stack.connection().clientConfig());
         QmpConnections monitors = new QmpConnections(Duration.ofSeconds(2))) {
      TopicProvisioner.ensure(admin, Topics.ALL, (short) 1, WAIT);
      KafkaConnection kafka = stack.connection();
      Map<String, String> env = Map.of(
          "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
          "SCHEMA_REGISTRY_URL", kafka.registryProperties().get(RegistryConfig.URL),
          "RESHAPE_HOST_ID", "host-1",
          "RESHAPE_SPOOL_DIR", dir.resolve("spool").toString(),
          "RESHAPE_JOURNAL_DIR", dir.resolve("journal").toString(),
          "RESHAPE_SOURCES", "inventory",
          "RESHAPE_INVENTORY_INTERVAL_MS", "500",
          "RESHAPE_METRICS_ADDRESS", "127.0.0.1",
          "RESHAPE_METRICS_PORT", "0");
      try (HostAgent agent = HostAgent.start(EnumSet.allOf(HostAgent.Role.class), CollectorConfig.fromEnv(env),
          ExecutorConfig.fromEnv(env), Clock.systemUTC(), monitors, Optional.empty())) {
        Instant decided = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        publish(kafka, HostCommand.newBuilder().setCommandId("d1@host-1").setDecisionId("d1").setHostId("host-1")
            .setAction(Action.PAGE_OUT).setVmId("vm-a").setDecidedAt(decided).setDeadline(decided.plusSeconds(300)).build());
        CommittedRecords.await(kafka, Topics.ACTUATIONS, WAIT,
            read -> read.stream().anyMatch(a -> Outcomes.settled(a.value().getOutcome())));
        CommittedRecords.await(kafka, Topics.INVENTORY, WAIT, read -> !read.isEmpty());

        String metrics = awaitMetrics(agent, "reshape_collector_committed_total");
        assertThat(metrics)
            .contains("reshape_actuations_total{action=\"PAGE_OUT\",driver=\"dry-run\",dry_run=\"true\",outcome=\"DRY_RUN\"} 1.0")
            .containsPattern("reshape_decision_to_outcome_seconds_count\\{action=\"PAGE_OUT\"} 1(\\.0)?\n")
            .as("the decision was two seconds old: a bucket of up to 2 s holds none, the +Inf one holds it")
            .containsPattern("reshape_decision_to_outcome_seconds_bucket\\{action=\"PAGE_OUT\",le=\"1\\.[0-9]+\"} 0(\\.0)?\n")
            .containsPattern("reshape_decision_to_outcome_seconds_bucket\\{action=\"PAGE_OUT\",le=\"\\+Inf\"} 1(\\.0)?\n")
            .contains("reshape_paged_out_bytes_total 0.0")
            .containsPattern("reshape_collector_samples_total\\{source=\"inventory\"} [1-9]")
            .containsPattern("reshape_collector_events_total\\{topic=\"inventory\"} [1-9]")
            .containsPattern("reshape_collector_bytes_total\\{topic=\"inventory\"} [1-9]")
            .containsPattern("reshape_collector_committed_total [1-9]")
            .contains("reshape_collector_lost_total 0.0")
            .contains("reshape_collector_vms 0.0")
            .containsPattern("reshape_collector_spool_bytes [0-9]")
            .containsPattern("process_uptime_seconds [0-9]");
        HttpResponse<String> health = get(agent, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("UP\n");
      }
    }
  }

  /** The metrics, once they hold {@code name}: the spool commits in its own time. */
  private static String awaitMetrics(HostAgent agent, String name) throws Exception {
    Instant until = Instant.now().plus(WAIT);
    String metrics = get(agent, "/metrics").body();
    while (!metrics.matches("(?s).*\\n" + name + " [1-9].*") && Instant.now().isBefore(until)) {
      Thread.sleep(500);
      metrics = get(agent, "/metrics").body();
    }
    return metrics;
  }

  private static HttpResponse<String> get(HostAgent agent, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.metricsPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void publish(KafkaConnection kafka, HostCommand command) {
    RegistryAvroSerializer<HostCommand> serializer = new RegistryAvroSerializer<>();
    serializer.configure(kafka.registryProperties(), false);
    try (KafkaProducer<String, HostCommand> producer = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), serializer)) {
      producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), null, command.getDecidedAt().toEpochMilli(), command.getHostId(),
          command));
    }
  }
}
