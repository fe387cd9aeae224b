package io.reshape.local;

import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.TopicProvisioner;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.Compatibility;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka cluster (one broker, or more) and a schema registry on this machine, ready for Reshape:
 * every catalogue topic exists, replicated on up to three brokers, and the registry refuses schema
 * changes that break readers (BACKWARD). Everything lives in
 * one directory, which is deleted on close unless the caller chose it.
 */
public final class LocalStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  private final Path dir;
  private final boolean temporary;
  private final EmbeddedKafka kafka;
  private final EmbeddedRegistry registry;
  private final KafkaConnection connection;

  private LocalStack(Path dir, boolean temporary, EmbeddedKafka kafka, EmbeddedRegistry registry) {
    this.dir = dir;
    this.temporary = temporary;
    this.kafka = kafka;
    this.registry = registry;
    this.connection = KafkaConnection.of(kafka.bootstrapServers(), registry.url());
  }

  /**
   * Starts one broker and the registry side by side.
   *
   * @param dataDir where to keep logs and data; null for a temporary directory
   */
  public static LocalStack start(Path dataDir) throws InterruptedException, TimeoutException {
    return start(dataDir, 1);
  }

  /**
   * Starts {@code brokers} brokers and the registry side by side.
   *
   * @param dataDir where to keep logs and data; null for a temporary directory
   */
  public static LocalStack start(Path dataDir, int brokers) throws InterruptedException, TimeoutException {
    boolean temporary = dataDir == null;
    Path dir;
    try {
      dir = temporary ? Files.createTempDirectory("reshape-") : Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EmbeddedHome home = EmbeddedHome.locate();
    CompletableFuture<EmbeddedKafka> kafka = CompletableFuture.supplyAsync(() -> interruptibly(() -> EmbeddedKafka.start(home, dir.resolve("kafka"), brokers)));
    CompletableFuture<EmbeddedRegistry> registry = CompletableFuture.supplyAsync(() -> interruptibly(() -> EmbeddedRegistry.start(home, dir.resolve("registry"))));
    LocalStack stack;
    try {
      stack = new LocalStack(dir, temporary, kafka.join(), registry.join());
    } catch (CompletionException e) {
      kafka.thenAccept(EmbeddedKafka::close);
      registry.thenAccept(EmbeddedRegistry::close);
      if (temporary) {
        Directories.delete(dir);
      }
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    try {
      stack.prepare();
    } catch (RuntimeException | InterruptedException | TimeoutException e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  private void prepare() throws InterruptedException, TimeoutException {
    try (Admin admin = Admin.create(connection.clientConfig())) {
      TopicProvisioner.ensure(admin, Topics.ALL, kafka.replicationFactor(), Duration.ofSeconds(30));
    }
    SchemaRegistryClient.shared(RegistryConfig.from(connection.registryProperties())).setCompatibility(Compatibility.BACKWARD);
    LOG.info("Local stack ready: Kafka at {}, schema registry at {}, data in {}", kafka.bootstrapServers(), registry.url(), dir);
  }

  /** The brokers, to stop, kill and restart them (what the pipeline must survive). */
  public EmbeddedKafka kafka() {
    return kafka;
  }

  public KafkaConnection connection() {
    return connection;
  }

  public Path dir() {
    return dir;
  }

  /** Resident memory of each child process, bytes. */
  public Map<String, Long> memory() {
    Map<String, Long> memory = new LinkedHashMap<>();
    for (EmbeddedKafka.Node node : kafka.nodes()) {
      memory.put(kafka.nodes().size() == 1 ? "kafka broker" : "kafka broker " + node.id(), ProcessMemory.residentBytes(node.pid()));
    }
    memory.put("schema registry", ProcessMemory.residentBytes(registry.pid()));
    return memory;
  }

  @Override
  public void close() {
    registry.close();
    kafka.close();
    if (temporary) {
      Directories.delete(dir);
    }
  }

  private interface Start<T> {
    T run() throws InterruptedException;
  }

  private static <T> T interruptibly(Start<T> start) {
    try {
      return start.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting", e);
    }
  }
}
