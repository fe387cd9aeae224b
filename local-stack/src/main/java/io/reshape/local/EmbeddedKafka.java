package io.reshape.local;

import io.reshape.local.process.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster in KRaft mode on loopback: one node or more, each broker and controller in one
 * child JVM with the broker's own jars, the controllers a static quorum of all nodes. With three
 * nodes or more, topics have three replicas and writes need two in sync, so one node may die.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true");

  private final EmbeddedHome home;
  private final List<Node> nodes;
  private final String bootstrapServers;
  private final Optional<ScramAdmin> admin;

  /**
   * The super user of a cluster that authenticates clients with SASL/SCRAM-SHA-512 and authorizes
   * them with KRaft's {@code StandardAuthorizer}: it exists from the format on, and creates the
   * other users and their ACLs.
   */
  public record ScramAdmin(String user, String password) {

    static final String MECHANISM = "SCRAM-SHA-512";

    /** Client settings that sign in as {@code user} with {@code password}. */
    public static Map<String, String> clientSettings(String user, String password) {
      return Map.of(
          CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
          SaslConfigs.SASL_MECHANISM, MECHANISM,
          SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
    }

    Map<String, String> clientSettings() {
      return clientSettings(user, password);
    }

    private static String jaas(String user, String password) {
      return ScramLoginModule.class.getName() + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    @Override
    public String toString() {
      return "ScramAdmin[" + user + "]";
    }
  }

  /** One node of the cluster, which a test may kill and start again on the same data and ports. */
  public final class Node {

    private final int id;
    private final Path dir;
    private final Path config;
    private final List<String> jvm;
    private final String bootstrapServer;
    private ChildJvm process;

    private Node(int id, Path dir, int brokerPort) {
      this.id = id;
      this.dir = dir;
      this.config = dir.resolve("server.properties");
      this.jvm = new ArrayList<>(JVM_OPTIONS);
      this.jvm.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
      this.bootstrapServer = "127.0.0.1:" + brokerPort;
    }

    public int id() {
      return id;
    }

    public long pid() {
      return process.pid();
    }

    public boolean isRunning() {
      return process != null && process.isAlive();
    }

    /** Ends the node at once (SIGKILL): no shutdown, no flush, as a crash does. */
    public void kill() throws InterruptedException {
      process.kill();
    }

    /** Starts the node again on its data and ports, and waits until the cluster answers through it. */
    public void restart() throws InterruptedException {
      if (process != null) {
        process.close();
      }
      launch();
      awaitReady(this);
    }

    private void launch() {
      process = ChildJvm.start("kafka-" + id, jvm, home.kafkaClasspath(), "kafka.Kafka", List.of(config.toString()), dir);
    }

    private void format(String clusterId) throws InterruptedException {
      List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", config.toString()));
      admin.ifPresent(a -> args.addAll(List.of("--add-scram",
          ScramAdmin.MECHANISM + "=[name=" + a.user() + ",password=" + a.password() + "]")));
      ChildJvm format = ChildJvm.start("kafka-format-" + id, jvm, home.kafkaClasspath(), "kafka.tools.StorageTool", args, dir);
      if (format.waitFor(STARTUP) != 0) {
        throw new IllegalStateException("Formatting the log directory of Kafka node " + id + " failed:\n" + format.logTail(20));
      }
    }
  }

  private EmbeddedKafka(EmbeddedHome home, Path dir, int count, Optional<ScramAdmin> admin) {
    this.home = home;
    this.admin = admin;
    List<Integer> brokerPorts = new ArrayList<>();
    List<Integer> controllerPorts = new ArrayList<>();
    List<String> voters = new ArrayList<>();
    for (int id = 1; id <= count; id++) {
      brokerPorts.add(FreePorts.next());
      controllerPorts.add(FreePorts.next());
      voters.add(id + "@127.0.0.1:" + controllerPorts.get(id - 1));
    }
    this.nodes = new ArrayList<>();
    for (int id = 1; id <= count; id++) {
      Node node = new Node(id, count == 1 ? dir : dir.resolve("node-" + id), brokerPorts.get(id - 1));
      writeConfig(node, count, brokerPorts.get(id - 1), controllerPorts.get(id - 1), voters, admin);
      nodes.add(node);
    }
    this.bootstrapServers = nodes.stream().map(n -> n.bootstrapServer).collect(Collectors.joining(","));
  }

  /** A cluster of one node. */
  public static EmbeddedKafka start(EmbeddedHome home, Path dir) throws InterruptedException {
    return start(home, dir, 1);
  }

  /** Formats fresh log directories under {@code dir}, starts {@code count} nodes and waits until each answers. */
  public static EmbeddedKafka start(EmbeddedHome home, Path dir, int count) throws InterruptedException {
    return start(home, dir, count, Optional.empty());
  }

  /**
   * A cluster of one node whose clients sign in with SASL/SCRAM and may do only what ACLs allow;
   * {@code admin} is its super user.
   */
  public static EmbeddedKafka startSecured(EmbeddedHome home, Path dir, ScramAdmin admin) throws InterruptedException {
    return start(home, dir, 1, Optional.of(admin));
  }

  private static EmbeddedKafka start(EmbeddedHome home, Path dir, int count, Optional<ScramAdmin> admin)
      throws InterruptedException {
    if (count < 1) {
      throw new IllegalArgumentException("A Kafka cluster needs a node at least, not " + count);
    }
    EmbeddedKafka kafka = new EmbeddedKafka(home, dir, count, admin);
    String clusterId = Uuid.randomUuid().toString();
    try {
      for (Node node : kafka.nodes) {
        node.format(clusterId);
      }
      // All at once: a node waits for a majority of the quorum before it answers.
      kafka.nodes.forEach(Node::launch);
      for (Node node : kafka.nodes) {
        kafka.awaitReady(node);
      }
    } catch (RuntimeException | InterruptedException e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  /**
   * Stops every node, keeping their data and ports for {@link #restart()}. All at once: a node
   * stopping last would wait for a quorum that is gone.
   */
  public void stop() {
    nodes.parallelStream().filter(n -> n.process != null).forEach(n -> n.process.close());
  }

  /** Starts every node again on the same data and ports. */
  public void restart() throws InterruptedException {
    stop();
    nodes.forEach(Node::launch);
    for (Node node : nodes) {
      awaitReady(node);
    }
  }

  /** Replicas of each topic: three when there are enough nodes. */
  public short replicationFactor() {
    return (short) Math.min(3, nodes.size());
  }

  private static void writeConfig(Node node, int count, int brokerPort, int controllerPort, List<String> voters,
      Optional<ScramAdmin> admin) {
    int replicas = Math.min(3, count);
    int inSync = Math.min(2, count);
    String server = String.join("\n",
        "process.roles=broker,controller",
        "node.id=" + node.id,
        "controller.quorum.voters=" + String.join(",", voters),
        "listeners=CLIENTS://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=CLIENTS://127.0.0.1:" + brokerPort,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=CLIENTS",
        admin.map(EmbeddedKafka::securedListener).orElse("listener.security.protocol.map=CLIENTS:PLAINTEXT,CONTROLLER:PLAINTEXT"),
        "log.dirs=" + node.dir.resolve("data"),
        // Internal topics as replicated as the topics; few partitions start faster.
        "default.replication.factor=" + replicas,
        "min.insync.replicas=" + inSync,
        "offsets.topic.replication.factor=" + replicas,
        "offsets.topic.num.partitions=3",
        "transaction.state.log.replication.factor=" + replicas,
        "transaction.state.log.min.isr=" + inSync,
        "transaction.state.log.num.partitions=3",
        "share.coordinator.state.topic.replication.factor=" + replicas,
        "share.coordinator.state.topic.min.isr=" + inSync,
        "group.initial.rebalance.delay.ms=0",
        // Topics come from the catalogue (and Kafka Streams' own); a typo must not create one.
        "auto.create.topics.enable=false",
        "");
    String log4j = String.join("\n",
        "appender.out.type=Console",
        "appender.out.name=out",
        "appender.out.layout.type=PatternLayout",
        "appender.out.layout.pattern=%d{HH:mm:ss.SSS} %-5p [%c{1}] %m%n",
        "rootLogger.level=INFO",
        "rootLogger.appenderRef.out.ref=out",
        "logger.kafka.name=kafka",
        "logger.kafka.level=WARN",
        "logger.apache.name=org.apache.kafka",
        "logger.apache.level=WARN",
        "");
    try {
      Files.createDirectories(node.dir);
      Files.writeString(node.config, server, StandardCharsets.UTF_8);
      Files.writeString(node.dir.resolve("log4j2.properties"), log4j, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Clients sign in with SCRAM on the client listener, which the brokers use among themselves as
   * the super user. The controller listener stays plaintext on loopback: the authorizer sees its
   * peers as {@code ANONYMOUS}, a super user too, and clients cannot reach it (they are told of
   * the client listener only).
   */
  private static String securedListener(ScramAdmin admin) {
    return String.join("\n",
        "listener.security.protocol.map=CLIENTS:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
        "sasl.enabled.mechanisms=" + ScramAdmin.MECHANISM,
        "sasl.mechanism.inter.broker.protocol=" + ScramAdmin.MECHANISM,
        "listener.name.clients.scram-sha-512.sasl.jaas.config=" + admin.clientSettings().get(SaslConfigs.SASL_JAAS_CONFIG),
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "super.users=User:" + admin.user() + ";User:ANONYMOUS",
        "allow.everyone.if.no.acl.found=false");
  }

  /** Settings for an admin client of this cluster: its super user's, when it is secured. */
  public Map<String, String> adminSettings() {
    Map<String, String> settings = new HashMap<>(admin.map(ScramAdmin::clientSettings).orElse(Map.of()));
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return Map.copyOf(settings);
  }

  private void awaitReady(Node node) throws InterruptedException {
    Map<String, Object> settings = new HashMap<>(adminSettings());
    settings.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServer,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000"));
    try (Admin admin = Admin.create(settings)) {
      node.process.awaitReady(STARTUP, () -> !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty());
    } catch (RuntimeException | InterruptedException e) {
      node.process.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  /** The node of {@code id} (as Kafka numbers them, from 1). */
  public Node node(int id) {
    return nodes.get(id - 1);
  }

  @Override
  public void close() {
    stop();
  }
}
