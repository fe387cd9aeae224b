package io.reshape.schemas;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the catalogue's topics that a cluster does not have yet. */
public final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private TopicProvisioner() {}

  /**
   * Creates every missing topic of {@code topics}; topics that exist are left as they are.
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
      return missing.stream().map(NewTopic::name).toList();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not create topics: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
