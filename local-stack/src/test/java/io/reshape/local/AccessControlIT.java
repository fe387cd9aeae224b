package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.local.EmbeddedKafka.ScramAdmin;
import io.reshape.schemas.Topic;
import io.reshape.schemas.TopicProvisioner;
import io.reshape.schemas.Topics;
import io.reshape.schemas.access.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Least privilege on a real broker: SASL/SCRAM sign-in, KRaft's {@code StandardAuthorizer}, one
 * user per {@link Role} with exactly the ACLs {@link Role#aclBindings()} generates (the same
 * grants the cluster's {@code KafkaUser}s are generated from). A collector may write the host
 * signals only; an executor may read its commands and write actuations only; a refused write
 * reaches no reader.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessControlIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ScramAdmin ADMIN = new ScramAdmin("reshape-admin", UUID.randomUUID().toString());

  private final Map<Role, String> passwords = new HashMap<>();
  private Path dir;
  private EmbeddedKafka kafka;
  private Admin admin;

  @BeforeAll
  void startSecuredBrokerWithTheRolesAcls() throws Exception {
    dir = Files.createTempDirectory("reshape-acl-");
    kafka = EmbeddedKafka.startSecured(EmbeddedHome.locate(), dir, ADMIN);
    admin = Admin.create(Map.copyOf(kafka.adminSettings()));
    TopicProvisioner.ensure(admin, Topics.ALL, (short) 1, TIMEOUT);
    for (Role role : Role.values()) {
      passwords.put(role, UUID.randomUUID().toString());
    }
    admin.alterUserScramCredentials(passwords.entrySet().stream()
        .<UserScramCredentialAlteration>map(e -> new UserScramCredentialUpsertion(
            e.getKey().userName(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), e.getValue()))
        .toList()).all().get();
    admin.createAcls(Arrays.stream(Role.values()).flatMap(r -> r.aclBindings().stream()).toList()).all().get();
    for (Role role : Role.values()) {
      awaitSignIn(role);
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (dir != null) {
      Directories.delete(dir);
    }
  }

  @Test
  void theBrokerHoldsExactlyTheAclsTheRolesDeclare() throws Exception {
    Set<AclBinding> expected = Arrays.stream(Role.values()).flatMap(r -> r.aclBindings().stream()).collect(Collectors.toSet());
    assertThat(new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get())).isEqualTo(expected);
  }

  @Test
  void aCollectorWritesTheHostSignalsInTransactionsAndNothingElse() throws Exception {
    List<Topic<?>> refused = Topics.ALL.stream().filter(t -> !Role.COLLECTOR.writes().contains(t)).toList();
    assertThat(refused).contains(Topics.DECISIONS, Topics.COMMANDS, Topics.ACTUATIONS, Topics.FOOTPRINTS);
    Map<String, Long> before = endOffsets(Topics.ALL);

    try (KafkaProducer<byte[], byte[]> producer = transactionalProducer(Role.COLLECTOR, "reshape-collector-host-1")) {
      producer.beginTransaction();
      for (Topic<?> topic : Role.COLLECTOR.writes()) {
        producer.send(record(topic)).get();
      }
      producer.commitTransaction();
    }
    for (Topic<?> topic : refused) {
      assertWriteRefused(Role.COLLECTOR, topic);
    }
    assertThatThrownBy(() -> transactionalProducer(Role.COLLECTOR, "reshape-coordinator-1").close())
        .isInstanceOf(TransactionalIdAuthorizationException.class);

    for (Topic<?> topic : Role.COLLECTOR.writes()) {
      assertThat(committedRecords(topic, before)).as("records a collector committed to %s", topic.name()).isEqualTo(1);
    }
    for (Topic<?> topic : refused) {
      assertThat(committedRecords(topic, before)).as("records on %s after refused writes", topic.name()).isZero();
    }
  }

  @Test
  void anExecutorReadsItsCommandsAndWritesActuationsOnly() throws Exception {
    List<Topic<?>> refusedWrites = Topics.ALL.stream().filter(t -> !Role.EXECUTOR.writes().contains(t)).toList();
    assertThat(refusedWrites).contains(Topics.DECISIONS, Topics.COMMANDS, Topics.DIRTY_PAGES);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(kafka.adminSettings()))) {
      producer.send(record(Topics.COMMANDS)).get();
    }
    Map<String, Long> before = endOffsets(Topics.ALL);

    try (KafkaConsumer<byte[], byte[]> consumer = consumer(Role.EXECUTOR, "reshape-executor-host-1")) {
      consumer.subscribe(List.of(Topics.COMMANDS.name()));
      assertThat(pollUntilSome(consumer)).as("commands the executor read").isNotEmpty();
    }
    try (KafkaProducer<byte[], byte[]> producer = transactionalProducer(Role.EXECUTOR, "reshape-executor-host-1-0_0")) {
      producer.beginTransaction();
      producer.send(record(Topics.ACTUATIONS)).get();
      producer.commitTransaction();
    }

    try (KafkaConsumer<byte[], byte[]> consumer = consumer(Role.EXECUTOR, "reshape-executor-host-1")) {
      consumer.subscribe(List.of(Topics.DECISIONS.name()));
      assertThatThrownBy(() -> pollUntilSome(consumer)).isInstanceOf(TopicAuthorizationException.class);
    }
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(Role.EXECUTOR, "reshape-coordinator")) {
      consumer.subscribe(List.of(Topics.COMMANDS.name()));
      assertThatThrownBy(() -> pollUntilSome(consumer)).isInstanceOf(GroupAuthorizationException.class);
    }
    for (Topic<?> topic : refusedWrites) {
      assertWriteRefused(Role.EXECUTOR, topic);
    }

    assertThat(committedRecords(Topics.ACTUATIONS, before)).isEqualTo(1);
    for (Topic<?> topic : refusedWrites) {
      assertThat(committedRecords(topic, before)).as("records on %s after refused writes", topic.name()).isZero();
    }
  }

  private void assertWriteRefused(Role role, Topic<?> topic) {
    Map<String, Object> settings = producerSettings(clientSettings(role));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
      assertThatThrownBy(() -> producer.send(record(topic)).get())
          .as("%s writing %s", role, topic.name())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  private KafkaProducer<byte[], byte[]> transactionalProducer(Role role, String transactionalId) {
    Map<String, Object> settings = producerSettings(clientSettings(role));
    settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings);
    try {
      producer.initTransactions();
      return producer;
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer(Role role, String group) {
    Map<String, Object> settings = new HashMap<>(clientSettings(role));
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<ConsumerRecord<byte[], byte[]>> pollUntilSome(KafkaConsumer<byte[], byte[]> consumer) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      var records = consumer.poll(Duration.ofMillis(500));
      if (!records.isEmpty()) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        records.forEach(read::add);
        return read;
      }
    }
    return List.of();
  }

  /** Records a read_committed reader finds on {@code topic} past the offsets in {@code before}. */
  private long committedRecords(Topic<?> topic, Map<String, Long> before) {
    Map<String, Object> settings = new HashMap<>(kafka.adminSettings());
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
      consumer.assign(partitions);
      partitions.forEach(p -> consumer.seek(p, before.getOrDefault(p.toString(), 0L)));
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long count = 0;
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      return count;
    }
  }

  private Map<String, Long> endOffsets(List<Topic<?>> topics) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(new HashMap<>(kafka.adminSettings()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = topics.stream().flatMap(t -> consumer.partitionsFor(t.name()).stream()
          .map(p -> new TopicPartition(t.name(), p.partition()))).toList();
      return consumer.endOffsets(partitions).entrySet().stream()
          .collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue));
    }
  }

  private Map<String, String> clientSettings(Role role) {
    Map<String, String> settings = new HashMap<>(ScramAdmin.clientSettings(role.userName(), passwords.get(role)));
    settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return settings;
  }

  private static Map<String, Object> producerSettings(Map<String, String> client) {
    Map<String, Object> settings = new HashMap<>(client);
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
    settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
    settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    return settings;
  }

  private static ProducerRecord<byte[], byte[]> record(Topic<?> topic) {
    return new ProducerRecord<>(topic.name(), "key".getBytes(StandardCharsets.UTF_8), "value".getBytes(StandardCharsets.UTF_8));
  }

  /** SCRAM credentials reach the broker's authenticator a moment after the admin wrote them. */
  private void awaitSignIn(Role role) throws InterruptedException {
    Map<String, Object> settings = new HashMap<>(clientSettings(role));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try (Admin signedIn = Admin.create(settings)) {
        signedIn.describeCluster().nodes().get();
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
          throw new IllegalStateException(role + " cannot sign in", e.getCause());
        }
        Thread.sleep(200);
      }
    }
  }
}
