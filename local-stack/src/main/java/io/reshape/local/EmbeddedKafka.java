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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process), in a child JVM
 * with the broker's own jars, listening on loopback only.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true");

  private final EmbeddedHome home;
  private final List<String> jvm;
  private final Path dir;
  private final Path config;
  private final String bootstrapServers;
  private ChildJvm process;

  private EmbeddedKafka(EmbeddedHome home, List<String> jvm, Path dir, Path config, String bootstrapServers) {
    this.home = home;
    this.jvm = jvm;
    this.dir = dir;
    this.config = config;
    this.bootstrapServers = bootstrapServers;
  }

  /** Formats a fresh log directory under {@code dir}, starts the broker and waits until it answers. */
  public static EmbeddedKafka start(EmbeddedHome home, Path dir) throws InterruptedException {
    int brokerPort = FreePorts.next();
    int controllerPort = FreePorts.next();
    Path config = dir.resolve("server.properties");
    writeConfig(dir, config, brokerPort, controllerPort);
    List<String> jvm = new ArrayList<>(JVM_OPTIONS);
    jvm.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));

    ChildJvm format = ChildJvm.start("kafka-format", jvm, home.kafkaClasspath(), "kafka.tools.StorageTool",
        List.of("format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", config.toString()), dir);
    if (format.waitFor(STARTUP) != 0) {
      throw new IllegalStateException("Formatting the Kafka log directory failed:\n" + format.logTail(20));
    }
    EmbeddedKafka kafka = new EmbeddedKafka(home, jvm, dir, config, "127.0.0.1:" + brokerPort);
    kafka.startBroker();
    return kafka;
  }

  private void startBroker() throws InterruptedException {
    ChildJvm broker = ChildJvm.start("kafka", jvm, home.kafkaClasspath(), "kafka.Kafka", List.of(config.toString()), dir);
    try {
      awaitReady(broker, bootstrapServers);
    } catch (RuntimeException | InterruptedException e) {
      broker.close();
      throw e;
    }
    process = broker;
  }

  /** Stops the broker, keeping its data and its port for {@link #restart()}. */
  public void stop() {
    process.close();
  }

  /** Starts the broker again on the same data and port. */
  public void restart() throws InterruptedException {
    process.close();
    startBroker();
  }

  private static void writeConfig(Path dir, Path config, int brokerPort, int controllerPort) {
    String listeners = "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort;
    String server = String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
        "listeners=" + listeners,
        "advertised.listeners=" + listeners,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.resolve("data"),
        // One broker: every internal topic has one replica, and few partitions start faster.
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=3",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=3",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
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
      Files.createDirectories(dir);
      Files.writeString(config, server, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("log4j2.properties"), log4j, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitReady(ChildJvm broker, String bootstrap) throws InterruptedException {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000"))) {
      broker.awaitReady(STARTUP, () -> !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty());
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.close();
  }
}
