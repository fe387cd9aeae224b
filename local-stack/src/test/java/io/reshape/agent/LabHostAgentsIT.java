package io.reshape.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.executor.ExecutorConfig;
import io.reshape.collectors.CollectorConfig;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.events.HostCommand;
import io.reshape.events.InventoryRecord;
import io.reshape.events.Outcome;
import io.reshape.events.VmInventory;
import io.reshape.host.HostRequirements;
import io.reshape.host.QmpConnections;
import io.reshape.host.lab.KvmLabVm;
import io.reshape.host.lab.LabVms;
import io.reshape.local.CommittedRecords.Keyed;
import io.reshape.local.CommittedRecords;
import io.reshape.local.LocalStack;
import io.reshape.local.process.ChildJvm;
import io.reshape.schemas.InventoryKeys;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two host agents that host lab VMs, on a real broker, host-a in a child JVM and host-b in the
 * test's: a MIGRATE reaches both executors, the lab VM moves from one process to the other over a
 * socket, and the destination's collector runs it and publishes KVM's dirty log of it from then
 * on; back home, only what it wrote away is sent.
 */
@Timeout(240)
class LabHostAgentsIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String VM = "host-a-lab-01";
  private static final Pattern REUSED = Pattern.compile(": (\\d+) bytes sent against .*; (\\d+) of 256 pages reused");

  @TempDir
  Path dir;

  private Map<String, String> env(KafkaConnection kafka, String host, String labVms) {
    return Map.ofEntries(
        Map.entry("RESHAPE_LAB_VMS", labVms),
        Map.entry("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
        Map.entry("SCHEMA_REGISTRY_URL", kafka.registryProperties().get(RegistryConfig.URL)),
        Map.entry("RESHAPE_HOST_ID", host),
        Map.entry("RESHAPE_SPOOL_DIR", dir.resolve(host).resolve("spool").toString()),
        Map.entry("RESHAPE_JOURNAL_DIR", dir.resolve(host).resolve("journal").toString()),
        Map.entry("RESHAPE_SOURCES", "inventory"),
        Map.entry("RESHAPE_QUANTA_INTERVAL_MS", "500"),
        Map.entry("RESHAPE_METRICS_ADDRESS", "127.0.0.1"),
        Map.entry("RESHAPE_METRICS_PORT", "0"),
        Map.entry("RESHAPE_HOST_ACTIONS", "host-a=MIGRATE;host-b=MIGRATE"),
        Map.entry("RESHAPE_MIGRATION_ADDRESSES", "host-a=127.0.0.1;host-b=127.0.0.1"));
  }

  private ChildJvm childAgent(Map<String, String> env) {
    return HostAgentChild.start("host-a", env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
        dir.resolve("host-a"));
  }

  @Test
  void aLabVmMigratesBetweenTwoHostAgentsAndRunsOnWhereItArrived() throws Exception {
    HostRequirements.require(KvmLabVm.usable(), "needs read-write access to /dev/kvm, to run a VM through KVM ioctls");
    try (LocalStack stack = LocalStack.start(null); Admin admin = Admin.create(stack.connection().clientConfig());
         QmpConnections monitors = new QmpConnections(Duration.ofSeconds(5));
         LabVms labB = HostAgent.labVms("0", "host-b").orElseThrow()) {
      TopicProvisioner.ensure(admin, Topics.ALL, (short) 1, WAIT);
      KafkaConnection kafka = stack.connection();
      Map<String, String> envB = env(kafka, "host-b", "0");
      try (ChildJvm hostA = childAgent(env(kafka, "host-a", "1"));
           HostAgent hostB = HostAgent.start(EnumSet.allOf(HostAgent.Role.class), CollectorConfig.fromEnv(envB),
               ExecutorConfig.fromEnv(envB), Clock.systemUTC(), monitors, Optional.of(labB))) {
        HostAgentChild.withLogOf(hostA, () -> awaitDirtyPages(kafka, "host-a", 2));

        Instant decided = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publish(kafka, command("m1", "host-b", "host-b", decided), command("m1", "host-a", "host-b", decided));
        List<Actuation> away = HostAgentChild.withLogOf(hostA, () -> awaitSettled(kafka, "m1"));
        away.forEach(a -> System.out.println("LAB AGENT away: " + a.getCommandId() + " " + a.getDetail()));
        assertThat(away).allSatisfy(a -> {
          assertThat(a.getOutcome()).as(a.getDetail()).isEqualTo(Outcome.APPLIED);
          assertThat(a.getDriver()).isEqualTo("lab-reuse");
        });
        assertThat(labB.running().keySet()).containsExactly(VM);
        awaitDirtyPages(kafka, "host-b", 2);
        Instant left = away.stream().filter(a -> a.getHostId().equals("host-a")).findFirst().orElseThrow().getFinishedAt();
        assertThat(CommittedRecords.readAll(kafka, Topics.DIRTY_PAGES)).map(Keyed::value)
            .filteredOn(d -> d.getVmId().equals(VM) && d.getHostId().equals("host-a"))
            .as("host-a runs the VM no longer once it left").allSatisfy(d -> assertThat(d.getIntervalEnd()).isBefore(left));
        assertThat(CommittedRecords.await(kafka, Topics.INVENTORY, WAIT, read -> hostOf(read).equals("host-b")))
            .as("host-b's collector announces the VM").isNotEmpty();
        labB.running(VM).orElseThrow().write(IntStream.range(100, 110).boxed().toList()); // what it does while away, at the least

        decided = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publish(kafka, command("m2", "host-a", "host-a", decided), command("m2", "host-b", "host-a", decided));
        List<Actuation> back = HostAgentChild.withLogOf(hostA, () -> awaitSettled(kafka, "m2"));
        back.forEach(a -> System.out.println("LAB AGENT back: " + a.getCommandId() + " " + a.getDetail()));
        assertThat(back).allSatisfy(a -> assertThat(a.getOutcome()).as(a.getDetail()).isEqualTo(Outcome.APPLIED));
        assertThat(back).filteredOn(a -> a.getHostId().equals("host-b")).singleElement().satisfies(a -> {
          Matcher reuse = REUSED.matcher(a.getDetail());
          assertThat(reuse.find()).as(a.getDetail()).isTrue();
          // Only what it wrote away is sent: ten pages and its page list at the least, and whatever its workload wrote.
          assertThat(Long.parseLong(reuse.group(1))).isLessThan(KvmLabVm.MAX_PAGES * KvmLabVm.PAGE_SIZE / 2);
          assertThat(Integer.parseInt(reuse.group(2))).isBetween(128, 245);
        });
        assertThat(back).filteredOn(a -> a.getHostId().equals("host-a")).singleElement()
            .satisfies(a -> assertThat(a.getDetail()).endsWith(" into the image kept here"));
        assertThat(labB.running()).isEmpty();
        assertThat(labB.kept(VM)).as("host-b keeps the image for a later return").isPresent();
        int before = dirtyPagesFrom(CommittedRecords.readAll(kafka, Topics.DIRTY_PAGES), "host-a");
        HostAgentChild.withLogOf(hostA, () -> awaitDirtyPages(kafka, "host-a", before + 2));
      }
    }
  }

  private static String hostOf(List<Keyed<InventoryRecord>> inventory) {
    return inventory.stream().filter(r -> r.key().equals(InventoryKeys.vm(VM)) && r.value() != null)
        .map(r -> ((VmInventory) r.value().getEntity()).getHostId()).reduce((first, last) -> last).orElse("");
  }

  private static int dirtyPagesFrom(List<Keyed<DirtyPages>> read, String host) {
    return (int) read.stream().map(Keyed::value)
        .filter(d -> d.getVmId().equals(VM) && d.getHostId().equals(host) && d.getSource() == DirtyPageSource.KVM_DIRTY_LOG).count();
  }

  private static void awaitDirtyPages(KafkaConnection kafka, String host, int count) {
    assertThat(dirtyPagesFrom(CommittedRecords.await(kafka, Topics.DIRTY_PAGES, WAIT, read -> dirtyPagesFrom(read, host) >= count),
        host)).as("KVM's dirty log of the lab VM, published by %s's collector", host).isGreaterThanOrEqualTo(count);
  }

  private static List<Actuation> awaitSettled(KafkaConnection kafka, String decision) {
    return CommittedRecords.await(kafka, Topics.ACTUATIONS, WAIT,
        read -> read.stream().filter(a -> a.value().getDecisionId().equals(decision) && Outcomes.settled(a.value().getOutcome()))
            .count() >= 2).stream()
        .map(Keyed::value).filter(a -> a.getDecisionId().equals(decision) && Outcomes.settled(a.getOutcome())).toList();
  }

  private static HostCommand command(String decision, String host, String destination, Instant decided) {
    return HostCommand.newBuilder().setCommandId(decision + "@" + host).setDecisionId(decision).setHostId(host)
        .setAction(Action.MIGRATE).setVmId(VM).setDestinationHostId(destination).setDecidedAt(decided)
        .setDeadline(decided.plusSeconds(120)).build();
  }

  private static void publish(KafkaConnection kafka, HostCommand... commands) {
    RegistryAvroSerializer<HostCommand> serializer = new RegistryAvroSerializer<>();
    serializer.configure(kafka.registryProperties(), false);
    try (KafkaProducer<String, HostCommand> producer = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), serializer)) {
      for (HostCommand command : commands) {
        producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), null, command.getDecidedAt().toEpochMilli(), command.getHostId(),
            command));
      }
    }
  }
}
