package io.reshape.coordinator;

import io.reshape.schemas.Topic;
import io.reshape.schemas.TopicProvisioner;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.Compatibility;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares a cluster for Reshape, once before the services start and again after an upgrade:
 * the catalogue's topics, the registry's BACKWARD compatibility, and every value schema
 * registered, so that readers can start before any writer. Running it twice changes nothing.
 */
public final class SetUp {

  private static final Logger LOG = LoggerFactory.getLogger(SetUp.class);

  private SetUp() {}

  /**
   * Sets the cluster and the registry up.
   *
   * @return the schema id of each value subject
   */
  public static Map<String, Integer> run(SetUpConfig config) throws InterruptedException, TimeoutException {
    Instant deadline = Instant.now().plus(config.timeout());
    try (Admin admin = Admin.create(config.kafka().clientConfig())) {
      List<String> created = TopicProvisioner.ensure(admin, Topics.ALL, config.replicationFactor(), config.timeout());
      LOG.info("Topics: {} in the catalogue, {} created", Topics.ALL.size(), created.size());
    }
    SchemaRegistryClient registry = SchemaRegistryClient.shared(RegistryConfig.from(config.kafka().registryProperties()));
    Map<String, Integer> ids = new LinkedHashMap<>();
    while (true) {
      try {
        registry.setCompatibility(Compatibility.BACKWARD);
        for (Topic<?> topic : Topics.ALL) {
          ids.put(topic.valueSubject(), registry.register(topic.valueSubject(), topic.valueSchema()));
        }
        break;
      } catch (RuntimeException e) {
        // The registry may come up after Kafka: ask again until the deadline.
        if (Instant.now().isAfter(deadline)) {
          throw new TimeoutException("The registry did not take the schemas within " + config.timeout().toSeconds()
              + " s: " + e.getMessage());
        }
        LOG.info("The registry is not ready: {}", e.getMessage());
        Thread.sleep(1000);
      }
    }
    LOG.info("Registry: compatibility BACKWARD, value schemas {}", ids);
    return ids;
  }

  public static void main(String[] args) throws Exception {
    SetUpConfig config;
    try {
      config = SetUpConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("reshape-setup: " + e.getMessage());
      System.exit(2);
      return;
    }
    LOG.info("Reshape set-up: {}", config);
    run(config);
  }
}
