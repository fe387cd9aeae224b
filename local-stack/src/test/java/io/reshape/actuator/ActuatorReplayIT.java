package io.reshape.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reshape.actuator.executor.ActuationMeters;
import io.reshape.actuator.executor.CommandJournal;
import io.reshape.actuator.executor.CommandWorker;
import io.reshape.actuator.executor.Drivers;
import io.reshape.actuator.executor.ExecutorSettings;
import io.reshape.actuator.executor.ExecutorTopology;
import io.reshape.actuator.executor.KafkaActuationReports;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.local.CommittedRecords;
import io.reshape.local.CommittedRecords.Keyed;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an offset reset cannot do, on a real broker with the real executor application: commands
 * read again from the first offset, a week and a day after they were applied, when the journal has
 * forgotten them, are refused and never applied again; the first time, the worker reported them
 * through Kafka outside the executor's transactions. And a topic that kept decisions or commands
 * longer than the actuator remembers them gets the catalogue's retention back.
 */
@Timeout(240)
class ActuatorReplayIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int COMMANDS = 3;

  @TempDir
  Path dir;

  @Test
  void commandsReadAgainFromTheFirstOffsetAfterTheJournalForgotThemAreRefused() throws Exception {
    try (LocalStack stack = LocalStack.start(null); Admin admin = Admin.create(stack.connection().clientConfig())) {
      KafkaConnection kafka = stack.connection();
      keepForAMonth(admin, Topics.COMMANDS.name());
      TopicProvisioner.ensure(admin, Topics.ALL, (short) 1, WAIT);
      awaitRetention(admin, Topics.COMMANDS.name(), Topics.DECISION_MEMORY);
      awaitRetention(admin, Topics.DECISIONS.name(), Topics.DECISION_MEMORY);

      Instant decided = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      publish(kafka, decided);
      ExecutorSettings settings = ExecutorSettings.of(Set.of(), dir.resolve("journal"));
      CountingDriver driver = new CountingDriver();

      runExecutor(kafka, settings, driver, Clock.systemUTC(), COMMANDS);
      assertThat(driver.applied()).hasSize(COMMANDS);

      // The group is reset to the first offset; by then, a week and a day on, the journal has forgotten the commands.
      resetToFirstOffset(admin, settings.applicationId());
      Clock weekAndADayOn = Clock.offset(Clock.systemUTC(), Topics.DECISION_MEMORY.plusDays(1));
      List<Actuation> all = runExecutor(kafka, settings, driver, weekAndADayOn, 2 * COMMANDS);

      assertThat(driver.applied()).as("applied once each, before the reset").hasSize(COMMANDS).doesNotHaveDuplicates();
      assertThat(all.subList(COMMANDS, all.size())).allSatisfy(a -> {
        assertThat(a.getOutcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(a.getDetail()).contains("longer ago than the 7 days this executor's journal remembers");
      });
    }
  }

  private static void publish(KafkaConnection kafka, Instant decided) {
    RegistryAvroSerializer<HostCommand> serializer = new RegistryAvroSerializer<>();
    serializer.configure(kafka.registryProperties(), false);
    try (KafkaProducer<String, HostCommand> producer = new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), serializer)) {
      IntStream.range(0, COMMANDS).mapToObj(i -> HostCommand.newBuilder().setCommandId("d" + i + "@host-1").setDecisionId("d" + i)
              .setHostId("host-1").setAction(Action.PAGE_OUT).setVmId("vm-" + i).setDecidedAt(decided)
              .setDeadline(decided.plus(Duration.ofDays(30))).build())
          .forEach(c -> producer.send(new ProducerRecord<>(Topics.COMMANDS.name(), null, decided.toEpochMilli(), c.getHostId(), c)));
    }
  }

  /** Runs the executor, worker and all, until {@code outcomes} settled outcomes are on the topic, then stops it and leaves its group. */
  private List<Actuation> runExecutor(KafkaConnection kafka, ExecutorSettings settings, CountingDriver driver, Clock clock,
      int outcomes) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ActuationMeters meters = new ActuationMeters(registry);
    try (CommandJournal journal = CommandJournal.open(settings.journalDirectory(), settings.journalRetention(), clock.instant());
         KafkaActuationReports reports = new KafkaActuationReports(kafka);
         CommandWorker worker = CommandWorker.onThreads(journal, Drivers.only(driver), reports, meters, clock, ExecutorSettings.LANES)) {
      worker.recover();
      KafkaStreams streams = new KafkaStreams(
          ExecutorTopology.build(kafka.registryProperties(), settings, journal, worker, meters, clock),
          StreamsSettings.exactlyOnce(kafka, settings.applicationId(), dir.resolve("streams"), registry));
      streams.start();
      try {
        return settled(CommittedRecords.await(kafka, Topics.ACTUATIONS, WAIT, read -> settled(read).size() >= outcomes));
      } finally {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
      }
    }
  }

  private static List<Actuation> settled(List<Keyed<Actuation>> read) {
    return read.stream().map(Keyed::value).filter(a -> Outcomes.settled(a.getOutcome())).toList();
  }

  private static void resetToFirstOffset(Admin admin, String group) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    while (admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group).groupState() != GroupState.EMPTY) {
      assertThat(Instant.now()).as("the executor's group empties").isBefore(deadline);
      Thread.sleep(200);
    }
    Map<TopicPartition, OffsetAndMetadata> first = IntStream.range(0, Topics.COMMANDS.partitions()).boxed()
        .collect(Collectors.toMap(p -> new TopicPartition(Topics.COMMANDS.name(), p), p -> new OffsetAndMetadata(0)));
    admin.alterConsumerGroupOffsets(group, first).all().get(10, TimeUnit.SECONDS);
  }

  private static void keepForAMonth(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Collection<AlterConfigOp> month = List.of(new AlterConfigOp(
        new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(30).toMillis())), AlterConfigOp.OpType.SET));
    admin.incrementalAlterConfigs(Map.of(resource, month)).all().get(10, TimeUnit.SECONDS);
    awaitRetention(admin, topic, Duration.ofDays(30));
  }

  /** Waits for the broker to report {@code retention} for {@code topic}: a change reaches its metadata soon, not at once. */
  private static void awaitRetention(Admin admin, String topic, Duration retention) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Instant deadline = Instant.now().plus(WAIT);
    String seen;
    while (!(seen = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource)
        .get(TopicConfig.RETENTION_MS_CONFIG).value()).equals(Long.toString(retention.toMillis()))) {
      assertThat(Instant.now()).as(topic + " keeps records for " + retention + "; its retention.ms is " + seen).isBefore(deadline);
      Thread.sleep(100);
    }
  }
}
