package io.reshape.schemas;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalogue's topics that a cluster does not have yet, and brings down the retention
 * of existing ones that keep records longer than the catalogue says: the actuator relies on
 * {@code decisions} and {@code commands} never holding what it has forgotten.
 */
public final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private TopicProvisioner() {}

  /**
   * Creates every missing topic of {@code topics}; of those that exist, only a retention longer
   * than the catalogue's is changed.
   *
   * @return the names of the topics created
   */
  public static List<String> ensure(Admin admin, Collection<Topic<?>> topics, short replicationFactor,
      Duration timeout) throws InterruptedException, TimeoutException {
    try {
      Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = topics.stream()
          .filter(t -> !existing.contains(t.name()))
          .map(t -> new NewTopic(t.name(), t.partitions(), replicationFactor).configs(t.brokerConfig()))
          .toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
      }
      boundRetention(admin, topics.stream().filter(t -> existing.contains(t.name()) && t.cleanup() == Topic.Cleanup.DELETE)
          .toList(), timeout);
      return missing.stream().map(NewTopic::name).toList();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not create or configure topics: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static void boundRetention(Admin admin, List<Topic<?>> topics, Duration timeout)
      throws InterruptedException, TimeoutException, ExecutionException {
    Map<ConfigResource, Topic<?>> byResource = topics.stream()
        .collect(Collectors.toMap(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name()), Function.identity()));
    if (byResource.isEmpty()) {
      return;
    }
    Map<ConfigResource, Config> configs = admin.describeConfigs(byResource.keySet()).all()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Map<ConfigResource, Collection<AlterConfigOp>> lowered = configs.entrySet().stream()
        .filter(e -> keepsLongerThan(e.getValue(), byResource.get(e.getKey()).retention()))
        .collect(Collectors.toMap(Map.Entry::getKey, e -> setOps(byResource.get(e.getKey()))));
    if (!lowered.isEmpty()) {
      admin.incrementalAlterConfigs(lowered).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.warn("Lowered the retention of topics {} to the catalogue's: they kept records longer",
          lowered.keySet().stream().map(ConfigResource::name).sorted().toList());
    }
  }

  /** Whether a topic keeps records longer than {@code retention} (-1 keeps them for ever). */
  private static boolean keepsLongerThan(Config config, Duration retention) {
    ConfigEntry entry = config.get(TopicConfig.RETENTION_MS_CONFIG);
    long millis = entry == null ? -1 : Long.parseLong(entry.value());
    return millis < 0 || millis > retention.toMillis();
  }

  private static Collection<AlterConfigOp> setOps(Topic<?> topic) {
    return topic.brokerConfig().entrySet().stream()
        .filter(e -> !e.getKey().equals(TopicConfig.CLEANUP_POLICY_CONFIG))
        .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
        .toList();
  }
}
