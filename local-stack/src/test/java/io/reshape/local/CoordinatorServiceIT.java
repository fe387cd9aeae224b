package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.HostActions;
import io.reshape.coordinator.CoordinatorConfig;
import io.reshape.coordinator.CoordinatorService;
import io.reshape.coordinator.SetUp;
import io.reshape.coordinator.SetUpConfig;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.Benefit;
import io.reshape.events.Cost;
import io.reshape.events.Decision;
import io.reshape.events.HostCommand;
import io.reshape.events.InventoryRecord;
import io.reshape.events.Outcome;
import io.reshape.events.VmInventory;
import io.reshape.events.VmState;
import io.reshape.local.CommittedRecords.Keyed;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.Compatibility;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.VersionedKeyQuery;
import org.apache.kafka.streams.state.VersionedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator as a service of its own, on a real broker and registry, after the set-up that
 * prepares a cluster: a decision on a VM the inventory lists becomes its host's command, one on a
 * VM it does not list is refused with the reason, and the service says it is healthy while it runs.
 */
@Timeout(180)
class CoordinatorServiceIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  /** The metrics, once they hold {@code name}: the Kafka client's meters show as the client makes them. */
  private static String awaitMetrics(CoordinatorService coordinator, String name) throws Exception {
    Instant until = Instant.now().plus(WAIT);
    String metrics = get(coordinator, "/metrics").body();
    while (!metrics.contains(name) && Instant.now().isBefore(until)) {
      Thread.sleep(500);
      metrics = get(coordinator, "/metrics").body();
    }
    return metrics;
  }

  /** Waits until the coordinator's table of placements holds {@code vm}. */
  private static void awaitPlaced(CoordinatorService coordinator, String vm) throws Exception {
    StateQueryRequest<VersionedRecord<InventoryRecord>> placement = StateQueryRequest.inStore("vm-placements")
        .withQuery(VersionedKeyQuery.<String, InventoryRecord>withKey(vm));
    Instant until = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(until)) {
      if (coordinator.streams().state() == KafkaStreams.State.RUNNING && coordinator.streams().query(placement)
          .getPartitionResults().values().stream().anyMatch(r -> r.isSuccess() && r.getResult() != null)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("The coordinator did not place " + vm + " within " + WAIT.toSeconds() + " s");
  }

  private static HttpResponse<String> get(CoordinatorService coordinator, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator.metricsPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theSetUpPreparesTheClusterAndTheCoordinatorTurnsDecisionsIntoCommands() throws Exception {
    try (LocalStack stack = LocalStack.start(null)) {
      SetUpConfig setUp = new SetUpConfig(stack.connection(), (short) 1, WAIT);
      Map<String, Integer> ids = SetUp.run(setUp);
      assertThat(ids).hasSize(Topics.ALL.size()).containsKeys(Topics.DECISIONS.valueSubject(), Topics.COMMANDS.valueSubject());
      assertThat(SetUp.run(setUp)).as("the set-up run again").isEqualTo(ids);
      SchemaRegistryClient registry = SchemaRegistryClient.shared(RegistryConfig.from(stack.connection().registryProperties()));
      assertThat(registry.compatibility()).isEqualTo(Compatibility.BACKWARD);

      CoordinatorConfig config = new CoordinatorConfig(stack.connection(), dir.resolve("state"), Duration.ZERO,
          HostActions.dryRun(), "127.0.0.1", 0);
      try (CoordinatorService coordinator = CoordinatorService.start(config, Clock.systemUTC())) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (TopicWriter writer = new TopicWriter(stack.connection())) {
          writer.sendByKey(Topics.INVENTORY, InventoryKeys.vm("vm-1"), new InventoryRecord(now, VmInventory.newBuilder()
              .setVmId("vm-1").setHostId("host-1").setVcpus(2).setMemoryBytes(1L << 31).setState(VmState.RUNNING)
              .setPinned(false).build()), now);
          writer.flush();
          // As on a running cluster, the inventory is in before the decisions on its VMs: the
          // coordinator's placements hold the VM.
          awaitPlaced(coordinator, "vm-1");
          writer.sendByKey(Topics.DECISIONS, "vm-1", pageOut("vm-1", now.plusSeconds(1)), now.plusSeconds(1));
          writer.sendByKey(Topics.DECISIONS, "vm-404", pageOut("vm-404", now.plusSeconds(2)), now.plusSeconds(2));
          writer.flush();
        }

        List<Keyed<HostCommand>> commands = CommittedRecords.await(stack.connection(), Topics.COMMANDS, WAIT, read -> !read.isEmpty());
        assertThat(commands).singleElement().satisfies(c -> {
          assertThat(c.key()).isEqualTo("host-1");
          assertThat(c.value().getAction()).isEqualTo(Action.PAGE_OUT);
          assertThat(c.value().getVmId()).isEqualTo("vm-1");
        });
        List<Keyed<Actuation>> refused = CommittedRecords.await(stack.connection(), Topics.ACTUATIONS, WAIT,
            read -> read.stream().anyMatch(a -> a.value().getVmId().equals("vm-404")));
        assertThat(refused).filteredOn(a -> a.value().getVmId().equals("vm-404")).singleElement().satisfies(a -> {
          assertThat(a.value().getOutcome()).isEqualTo(Outcome.REJECTED);
          assertThat(a.value().getDetail()).contains("vm-404 is not in the inventory");
        });
        assertThat(coordinator.unhealthy()).isEmpty();
        HttpResponse<String> health = get(coordinator, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("UP\n");
        String metrics = awaitMetrics(coordinator, "kafka_consumer_fetch_manager_records_lag{");
        assertThat(metrics)
            .contains("reshape_coordinator_decisions_total{action=\"PAGE_OUT\",verdict=\"accepted\"} 1.0")
            .contains("reshape_coordinator_decisions_total{action=\"PAGE_OUT\",verdict=\"rejected\"} 1.0")
            .as("its Kafka Streams client's consumer lag, per partition, all read")
            .containsPattern("kafka_consumer_fetch_manager_records_lag\\{[^}]*topic=\"decisions\"[^}]*} 0.0")
            .containsPattern("jvm_memory_used_bytes\\{");
        coordinator.close();
        assertThat(coordinator.unhealthy()).hasValueSatisfying(reason -> assertThat(reason).contains("NOT_RUNNING"));
      }
    }
  }

  private static Decision pageOut(String vm, Instant at) {
    return Decision.newBuilder().setDecisionId("page-out@" + vm).setCreatedAt(at).setAction(Action.PAGE_OUT).setVmId(vm)
        .setHostId("host-1").setReason("idle").setExpectedBenefit(new Benefit(1L << 30, 0, 0.0, 0L))
        .setExpectedCost(new Cost(1L << 30, 0L, 0L)).setDeadline(at.plus(Duration.ofMinutes(5))).build();
  }
}
