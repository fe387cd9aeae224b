package io.reshape.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.QmpClient;
import io.reshape.host.TestGuest;
import io.reshape.local.CommittedRecords.Keyed;
import io.reshape.local.CommittedRecords;
import io.reshape.local.FreePorts;
import io.reshape.local.LocalStack;
import io.reshape.local.process.ChildJvm;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Outcomes;
import io.reshape.schemas.TopicProvisioner;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor killed (SIGKILL) in the middle of a real live migration: QEMU goes on migrating with
 * no one following it. The executor started again settles the command from the facts on the host
 * (the migration is still under way: it is cancelled and the guest runs on where it was), reports
 * one outcome, and never starts the migration again.
 */
@Timeout(300)
class ExecutorCrashIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @Test
  void aMigrationInterruptedByAKilledExecutorIsRolledBackAndReportedOnce() throws Exception {
    try (LocalStack stack = LocalStack.start(null); Admin admin = Admin.create(stack.connection().clientConfig());
         TestGuest source = TestGuest.boot("mig", 1, dir); TestGuest destination = TestGuest.incoming("mig-arriving", 1, dir)) {
      TopicProvisioner.ensure(admin, Topics.ALL, (short) 1, WAIT);
      KafkaConnection kafka = stack.connection();
      source.command("fill 5"); // 16 MiB to send at 256 KiB/s: about a minute
      int port = FreePorts.next();
      try (QmpClient arriving = QmpClient.connect(destination.vm().qmpSocket(), Duration.ofSeconds(5))) {
        arriving.execute("migrate-incoming", QmpClient.arguments().put("uri", "tcp:127.0.0.1:" + port));
      }
      List<String> env = List.of(
          "KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers(),
          "SCHEMA_REGISTRY_URL=" + kafka.registryProperties().get(RegistryConfig.URL),
          "RESHAPE_AGENT_ROLES=executor",
          "RESHAPE_METRICS_ADDRESS=127.0.0.1",
          "RESHAPE_METRICS_PORT=0",
          "RESHAPE_HOST_ID=host-1",
          "RESHAPE_JOURNAL_DIR=" + dir.resolve("journal"),
          "RESHAPE_HOST_ACTIONS=host-1=MIGRATE",
          "RESHAPE_MIGRATION_ADDRESSES=host-2=127.0.0.1",
          "RESHAPE_MIGRATION_PORT=" + port,
          "RESHAPE_MIGRATION_PORTS=1",
          "RESHAPE_MIGRATION_BANDWIDTH=262144");
      Instant decided = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      publish(kafka, decided);

      try (ChildJvm first = executor("executor-1", env)) {
        HostAgentChild.withLogOf(first, () -> CommittedRecords.await(kafka, Topics.ACTUATIONS, WAIT, read -> read.stream()
            .anyMatch(a -> a.value().getOutcome() == Outcome.IN_PROGRESS && a.value().getDetail().startsWith("Migration active"))));
        ProcessHandle.of(first.pid()).ifPresent(ProcessHandle::destroyForcibly);
        first.waitFor(Duration.ofSeconds(30));
      }
      try (QmpClient qmp = QmpClient.connect(source.vm().qmpSocket(), Duration.ofSeconds(5))) {
        assertThat(qmp.execute("query-migrate", null).path("status").asText())
            .as("QEMU migrates on with no one following").isEqualTo("active");
      }

      List<Actuation> settled;
      try (ChildJvm second = executor("executor-2", env)) {
        HostAgentChild.withLogOf(second, () -> CommittedRecords.await(kafka, Topics.ACTUATIONS, WAIT, read -> !settled(read).isEmpty()));
        Thread.sleep(3000); // time enough for a second outcome, or a second start, to show
        settled = settled(CommittedRecords.readAll(kafka, Topics.ACTUATIONS));
        assertThat(CommittedRecords.readAll(kafka, Topics.ACTUATIONS)).map(Keyed::value)
            .filteredOn(a -> a.getOutcome() == Outcome.STARTED).as("started once, never again").hasSize(1);
      }
      System.out.println("CRASH " + settled.get(0).getDetail());
      assertThat(settled).singleElement().satisfies(a -> {
        assertThat(a.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(a.getDetail()).isEqualTo("Settled after the executor stopped while applying it: The migration of VM mig"
            + " was still active with no executor following it: cancelled, the VM runs here; it is not applied again");
      });
      try (QmpClient qmp = QmpClient.connect(source.vm().qmpSocket(), Duration.ofSeconds(5))) {
        assertThat(qmp.execute("query-status", null).path("status").asText()).isEqualTo("running");
        assertThat(qmp.execute("query-migrate", null).path("status").asText()).isEqualTo("cancelled");
      }
      assertThat(source.command("count")).as("the guest answers where it was").startsWith("OK count");
    }
  }

  private static List<Actuation> settled(List<Keyed<Actuation>> read) {
    return read.stream().map(Keyed::value).filter(a -> Outcomes.settled(a.getOutcome())).toList();
  }

  private ChildJvm executor(String name, List<String> env) {
    return HostAgentChild.start(name, env, dir.resolve(name));
  }

  private static void publish(KafkaConnection kafka, Instant decided) {
    HostCommand command = HostCommand.newBuilder().setCommandId("m1@host-1").setDecisionId("m1").setHostId("host-1")
        .setAction(Action.MIGRATE).setVmId("mig").setDestinationHostId("host-2").setDecidedAt(decided)
        .setDeadline(decided.plusSeconds(600)).build();
    RegistryAvroSerializer<HostCommand> serializer = new RegistryAvroSerializer<>();
    serializer.configure(kafka.registryProperties(), false);
    try (KafkaProducer<String, HostCommand> producer = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), serializer)) {
      producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), null, decided.toEpochMilli(), "host-1", command));
    }
  }
}
