package io.reshape.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.drivers.QemuGuests;
import io.reshape.actuator.drivers.QmpMigrationDriver;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.actuator.executor.ExecutorConfig;
import io.reshape.collectors.CollectorConfig;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.events.QuantumSample;
import io.reshape.host.ProcFs;
import io.reshape.host.QmpConnections;
import io.reshape.host.TestGuest;
import io.reshape.local.CommittedRecords.Keyed;
import io.reshape.local.CommittedRecords;
import io.reshape.local.LocalStack;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Outcomes;
import io.reshape.schemas.TopicProvisioner;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
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
 * The host agent on a real broker with a real guest: its collector reads the guest through QMP
 * while its executor live-migrates the guest through the same QMP client (QEMU serves one client
 * per monitor). The destination host's part is played beside it, on the same QMP clients, as a
 * second host on this machine would play it.
 */
@Timeout(240)
class HostAgentIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @Test
  void theCollectorReadsAGuestWhileTheExecutorMigratesItThroughTheSameMonitor() throws Exception {
    try (LocalStack stack = LocalStack.start(null); Admin admin = Admin.create(stack.connection().clientConfig());
         TestGuest source = TestGuest.boot("mig", 1, dir);
         QmpConnections monitors = new QmpConnections(Duration.ofSeconds(5))) {
      TopicProvisioner.ensure(admin, Topics.ALL, (short) 1, WAIT);
      KafkaConnection kafka = stack.connection();
      source.command("fill 5");
      Map<String, String> env = Map.ofEntries(
          Map.entry("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
          Map.entry("SCHEMA_REGISTRY_URL", kafka.registryProperties().get(RegistryConfig.URL)),
          Map.entry("RESHAPE_HOST_ID", "host-1"),
          Map.entry("RESHAPE_SPOOL_DIR", dir.resolve("spool").toString()),
          Map.entry("RESHAPE_JOURNAL_DIR", dir.resolve("journal").toString()),
          Map.entry("RESHAPE_SOURCES", "inventory,quanta"),
          Map.entry("RESHAPE_QUANTA_INTERVAL_MS", "500"),
          Map.entry("RESHAPE_METRICS_ADDRESS", "127.0.0.1"),
          Map.entry("RESHAPE_METRICS_PORT", "0"),
          Map.entry("RESHAPE_HOST_ACTIONS", "host-1=MIGRATE"),
          Map.entry("RESHAPE_MIGRATION_ADDRESSES", "host-2=127.0.0.1"));

      try (HostAgent agent = HostAgent.start(EnumSet.allOf(HostAgent.Role.class), CollectorConfig.fromEnv(env),
          ExecutorConfig.fromEnv(env), Clock.systemUTC(), monitors, Optional.empty())) {
        awaitQuanta(kafka, 2);
        try (TestGuest destination = TestGuest.incoming("mig", 1, dir)) {
          Instant decided = Instant.now().truncatedTo(ChronoUnit.MILLIS);
          publish(kafka, command("host-1", decided));
          QmpMigrationDriver hostTwo = new QmpMigrationDriver(new QemuGuests(ProcFs.system()), monitors,
              new QmpMigrationDriver.Settings(1L << 30, Duration.ofMillis(300), 49152, 1000, host -> "127.0.0.1"));
          DriverResult received = hostTwo.apply(command("host-2", decided), (done, detail) -> { });

          List<Actuation> settled = CommittedRecords.await(kafka, Topics.ACTUATIONS, WAIT,
              read -> read.stream().anyMatch(a -> Outcomes.settled(a.value().getOutcome()))).stream()
              .map(Keyed::value).filter(a -> Outcomes.settled(a.getOutcome())).toList();
          System.out.println("AGENT " + settled.get(0).getDetail());
          assertThat(settled).singleElement().satisfies(a -> {
            assertThat(a.getCommandId()).isEqualTo("m1@host-1");
            assertThat(a.getOutcome()).as(a.getDetail()).isEqualTo(Outcome.APPLIED);
            assertThat(a.getDriver()).isEqualTo("qmp");
            assertThat(a.getDetail()).startsWith("Migrated VM mig to host-2 (tcp:127.0.0.1:").endsWith("; stopped here");
          });
          assertThat(received.outcome()).as(received.detail()).isEqualTo(Outcome.APPLIED);
          assertThat(destination.command("count")).as("the guest runs on at the destination").startsWith("OK count");
          int before = quantaOfMig(kafka).size();
          awaitQuanta(kafka, before + 2);
        }
      }
    }
  }

  private static List<QuantumSample> quantaOfMig(KafkaConnection kafka) {
    return CommittedRecords.readAll(kafka, Topics.QUANTA).stream().map(Keyed::value).filter(q -> q.getVmId().equals("mig"))
        .toList();
  }

  private static void awaitQuanta(KafkaConnection kafka, int count) {
    assertThat(CommittedRecords.await(kafka, Topics.QUANTA, WAIT,
        read -> read.stream().filter(q -> q.value().getVmId().equals("mig")).count() >= count))
        .as("the collector reads the guest through QMP").filteredOn(q -> q.value().getVmId().equals("mig")).hasSizeGreaterThanOrEqualTo(count);
  }

  private static HostCommand command(String host, Instant decided) {
    return HostCommand.newBuilder().setCommandId("m1@" + host).setDecisionId("m1").setHostId(host).setAction(Action.MIGRATE)
        .setVmId("mig").setDestinationHostId("host-2").setDecidedAt(decided).setDeadline(decided.plusSeconds(120)).build();
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
