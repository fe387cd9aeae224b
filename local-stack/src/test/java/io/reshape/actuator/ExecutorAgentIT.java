package io.reshape.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reshape.actuator.executor.ExecutorAgent;
import io.reshape.actuator.executor.ExecutorConfig;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.ProcFs;
import io.reshape.host.QmpConnections;
import io.reshape.host.TestGuest;
import io.reshape.host.ZramSwap;
import io.reshape.local.CommittedRecords.Keyed;
import io.reshape.local.CommittedRecords;
import io.reshape.local.LocalStack;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Outcomes;
import io.reshape.schemas.TopicProvisioner;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * A host's executor as it runs on a KVM host, on a real broker and a real guest: what the host's
 * allowlist grants is done for real, the rest only said, and other hosts' commands are not its own.
 */
@Timeout(240)
class ExecutorAgentIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @Test
  void aGrantedActionIsAppliedForRealAndTheRestIsADryRun() throws Exception {
    try (TestGuest guest = TestGuest.boot("vm-a", 1, dir); ZramSwap swap = ZramSwap.on(256);
         LocalStack stack = LocalStack.start(null); Admin admin = Admin.create(stack.connection().clientConfig())) {
      TopicProvisioner.ensure(admin, Topics.ALL, (short) 1, WAIT);
      guest.command("fill 3");
      KafkaConnection kafka = stack.connection();
      ExecutorConfig config = new ExecutorConfig("host-1", kafka, dir.resolve("executor"), HostActions.parse("host-1=PAGE_OUT"),
          Map.of(), 1L << 30, Duration.ofMillis(300), 49152, 1000, 1000, Duration.ofMillis(20),
          ExecutorConfig.MigrationDriver.QMP, "qemu:///system", Map.of(), Duration.ofSeconds(30));
      Instant decided = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      publish(kafka, command("d1", "host-1", Action.PAGE_OUT, decided), command("d2", "host-1", Action.ENABLE_KSM, decided),
          command("d3", "host-2", Action.PAGE_OUT, decided));

      List<Actuation> settled;
      try (QmpConnections monitors = new QmpConnections(Duration.ofSeconds(2));
           ExecutorAgent agent = ExecutorAgent.start(config, Clock.systemUTC(), monitors, Optional.empty(), new SimpleMeterRegistry())) {
        settled = CommittedRecords.await(kafka, Topics.ACTUATIONS, WAIT, read -> settled(read).size() >= 2).stream()
            .map(Keyed::value).filter(a -> Outcomes.settled(a.getOutcome())).toList();
      }

      assertThat(settled).extracting(a -> a.getCommandId() + " " + a.getOutcome() + " " + a.getDriver())
          .containsExactlyInAnyOrder("d1@host-1 APPLIED paging", "d2@host-1 DRY_RUN dry-run");
      assertThat(settled).filteredOn(a -> a.getOutcome() == Outcome.APPLIED).singleElement()
          .satisfies(a -> assertThat(a.getDetail()).startsWith("Paged VM vm-a out: VmSwap 0.0 MiB -> "));
      assertThat(ProcFs.system().memoryUse(guest.vm().pid()).orElseThrow().swapped()).isGreaterThanOrEqualTo(16L << 20);
    }
  }

  private static List<Actuation> settled(List<Keyed<Actuation>> read) {
    return read.stream().map(Keyed::value).filter(a -> Outcomes.settled(a.getOutcome())).toList();
  }

  private static HostCommand command(String decision, String host, Action action, Instant decided) {
    return HostCommand.newBuilder().setCommandId(decision + "@" + host).setDecisionId(decision).setHostId(host)
        .setAction(action).setVmId(action == Action.PAGE_OUT ? "vm-a" : null).setDecidedAt(decided)
        .setDeadline(decided.plusSeconds(300)).build();
  }

  private static void publish(KafkaConnection kafka, HostCommand... commands) {
    RegistryAvroSerializer<HostCommand> serializer = new RegistryAvroSerializer<>();
    serializer.configure(kafka.registryProperties(), false);
    try (KafkaProducer<String, HostCommand> producer = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), serializer)) {
      for (HostCommand c : commands) {
        producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), null, c.getDecidedAt().toEpochMilli(), c.getHostId(), c));
      }
    }
  }
}
