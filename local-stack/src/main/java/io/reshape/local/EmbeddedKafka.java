package io.reshape.local;

import io.reshape.local.process.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
      ChildJvm format = ChildJvm.start("kafka-format-" + id, jvm, home.kafkaClasspath(), "kafka.tools.StorageTool",
          List.of("format", "-t", clusterId, "-c", config.toString()), dir);
      if (format.waitFor(STARTUP) != 0) {
        throw new IllegalStateException("Formatting the log directory of Kafka node " + id + " failed:\n" + format.logTail(20));
      }
    }
  }

  private EmbeddedKafka(EmbeddedHome home, Path dir, int count) {
    this.home = home;
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
      writeConfig(node, count, brokerPorts.get(id - 1), controllerPorts.get(id - 1), voters);
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
    if (count < 1) {
      throw new IllegalArgumentException("A Kafka cluster needs a node at least, not " + count);
    }
    EmbeddedKafka kafka = new EmbeddedKafka(home, dir, count);
    String clusterId = Uuid.randomUuid().toString();
    try {
      for (Node node : kafka.nodes) {
        node.format(clusterId);
      }
      // All at once: a node waits for a majority of the quorum before it answers.
      kafka.nodes.forEach(Node::launch);
      for (Node node : kafka.nodes) {
        awaitReady(node);
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

  private static void writeConfig(Node node, int count, int brokerPort, int controllerPort, List<String> voters) {
    String listeners = "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort;
    int replicas = Math.min(3, count);
    int inSync = Math.min(2, count);
    String server = String.join("\n",
        "process.roles=broker,controller",
        "node.id=" + node.id,
        "controller.quorum.voters=" + String.join(",", voters),
        "listeners=" + listeners,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
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

  private static void awaitReady(Node node) throws InterruptedException {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServer,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000"))) {
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
