package io.reshape.local.recording;

import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * What a recording or a replay asks of a cluster before it starts: its topics' partitions and a
 * registry that answers. A topic the cluster lacks, or a broker or registry that does not answer, is
 * said plainly: they are the user's to fix.
 */
final class Cluster {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Cluster() {}

  /** The registry of {@code connection}, once it has answered. */
  static SchemaRegistryClient registry(KafkaConnection connection) {
    SchemaRegistryClient registry = SchemaRegistryClient.shared(RegistryConfig.from(connection.registryProperties()));
    try {
      registry.subjects();
    } catch (SchemaRegistryException e) {
      throw new IllegalArgumentException("The schema registry at " + registry.config().urls()
          + " did not answer (is SCHEMA_REGISTRY_URL right?): " + e.getMessage(), e);
    }
    return registry;
  }

  static Map<String, Integer> partitions(KafkaConnection connection, Collection<String> topics) {
    Properties config = connection.clientConfig();
    // Without it, closing the client would wait for a call to a broker that never answers a minute more.
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    try (Admin admin = Admin.create(config)) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<String> missing = topics.stream().filter(t -> !existing.contains(t)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("Kafka at " + connection.bootstrapServers() + " has no topic"
            + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
            + "; it has " + String.join(", ", new TreeSet<>(existing)));
      }
      Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<String, Integer> partitions = new LinkedHashMap<>();
      topics.forEach(t -> partitions.put(t, descriptions.get(t).partitions().size()));
      return partitions;
    } catch (TimeoutException e) {
      throw new IllegalArgumentException("Kafka at " + connection.bootstrapServers() + " did not answer within "
          + TIMEOUT.toSeconds() + " s (is KAFKA_BOOTSTRAP_SERVERS right?)", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka at " + connection.bootstrapServers() + " could not describe " + topics + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while asking Kafka about " + topics, e);
    }
  }
}
