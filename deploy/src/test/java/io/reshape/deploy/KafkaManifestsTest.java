package io.reshape.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import io.reshape.schemas.access.Role;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The Kafka topics and users of k8s/ are the catalogue's and the roles', as generated and as rendered. */
class KafkaManifestsTest {

  static final List<String> TARGETS = Rendered.TARGETS;
  private static final Path KAFKA_DIR = Rendered.ROOT.resolve("k8s/base/kafka");

  @Test
  void theCommittedTopicsAndUsersAreWhatTheGeneratorWrites() throws Exception {
    assertThat(Files.readString(KAFKA_DIR.resolve(KafkaManifests.TOPICS_FILE)))
        .as("k8s/base/kafka/%s is not what the catalogue gives; run %s", KafkaManifests.TOPICS_FILE, KafkaManifests.REGENERATE)
        .isEqualTo(KafkaManifests.topicsYaml());
    assertThat(Files.readString(KAFKA_DIR.resolve(KafkaManifests.USERS_FILE)))
        .as("k8s/base/kafka/%s is not what the roles give; run %s", KafkaManifests.USERS_FILE, KafkaManifests.REGENERATE)
        .isEqualTo(KafkaManifests.usersYaml());
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void theTopicsAreTheCatalogues(String target) throws Exception {
    Map<String, KafkaTopic> topics = typed(target, "KafkaTopic", KafkaTopic.class);

    assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topic::name).toList());
    for (Topic<?> topic : Topics.ALL) {
      KafkaTopic kafkaTopic = topics.get(topic.name());
      assertThat(kafkaTopic.getSpec().getPartitions()).as(topic.name()).isEqualTo(topic.partitions());
      assertThat(asStrings(kafkaTopic.getSpec().getConfig())).as(topic.name()).isEqualTo(topic.brokerConfig());
      assertThat(kafkaTopic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", KafkaManifests.CLUSTER);
    }
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void theUsersHoldExactlyTheirRolesGrants(String target) throws Exception {
    Map<String, KafkaUser> users = typed(target, "KafkaUser", KafkaUser.class);

    assertThat(users.keySet())
        .containsExactlyInAnyOrderElementsOf(ClusterUser.all().stream().map(ClusterUser::name).toList())
        .contains("reshape-setup", "reshape-schema-registry");
    for (Role role : Role.values()) {
      assertThat(aclBindings(users.get(role.userName()))).as(role.userName())
          .isEqualTo(Set.copyOf(role.aclBindings()));
    }
    for (ClusterUser user : ClusterUser.all()) {
      assertThat(aclBindings(users.get(user.name()))).as(user.name()).isEqualTo(user.aclBindings());
      assertThat(users.get(user.name()).getSpec().getAuthentication().getType()).isEqualTo("scram-sha-512");
    }
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void collectorsWriteOnlyTheInputTopicsAndExecutorsReadOnlyTheirCommands(String target) throws Exception {
    Map<String, KafkaUser> users = typed(target, "KafkaUser", KafkaUser.class);

    assertThat(topicsAllowed(users.get(Role.COLLECTOR.userName()), AclOperation.WRITE))
        .containsExactlyInAnyOrder("dirty-pages", "quanta", "traffic", "page-fingerprints", "inventory", "collector-positions");
    assertThat(topicsAllowed(users.get(Role.EXECUTOR.userName()), AclOperation.READ)).containsExactly("commands");
    assertThat(topicsAllowed(users.get(Role.EXECUTOR.userName()), AclOperation.WRITE))
        .containsExactlyInAnyOrder("actuations", "dead-letters");
    // The host agent, both in one process, may do what either may and nothing else.
    assertThat(aclBindings(users.get(ClusterUser.AGENT.name())))
        .isEqualTo(Stream.of(Role.COLLECTOR, Role.EXECUTOR).flatMap(r -> r.grants().stream())
            .flatMap(g -> g.aclBindings("User:" + ClusterUser.AGENT.name()).stream()).collect(Collectors.toSet()));
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void everyClientSignsInAsAUserOfTheCluster(String target) {
    Set<String> users = Rendered.ofKind(target, "KafkaUser").stream()
        .map(u -> u.path("metadata").path("name").asText()).collect(Collectors.toSet());
    List<String> secrets = Rendered.manifests(target).stream()
        .flatMap(m -> m.findParents("secretKeyRef").stream())
        .map(ref -> ref.path("secretKeyRef"))
        .filter(ref -> ref.path("key").asText().equals("sasl.jaas.config"))
        .map(ref -> ref.path("name").asText())
        .toList();

    assertThat(secrets).isNotEmpty().allSatisfy(secret -> assertThat(users).contains(secret));
    assertThat(secrets).contains("reshape-agent", "reshape-coordinator", "reshape-setup", "reshape-analytics",
        "reshape-planner", "reshape-schema-registry");
  }

  private static <T> Map<String, T> typed(String target, String kind, Class<T> model) throws Exception {
    Map<String, T> byName = new TreeMap<>();
    for (ObjectNode manifest : Rendered.ofKind(target, kind)) {
      byName.put(manifest.path("metadata").path("name").asText(), StrictModels.parse(manifest, model));
    }
    return byName;
  }

  private static Map<String, String> asStrings(Map<String, Object> config) {
    return config.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
  }

  private static Set<String> topicsAllowed(KafkaUser user, AclOperation operation) {
    return aclBindings(user).stream()
        .filter(b -> b.pattern().resourceType() == ResourceType.TOPIC && b.entry().operation() == operation)
        .map(b -> b.pattern().name())
        .collect(Collectors.toSet());
  }

  /** The broker's ACLs the user operator makes of a KafkaUser. */
  private static Set<AclBinding> aclBindings(KafkaUser user) {
    String principal = "User:" + user.getMetadata().getName();
    return ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls().stream()
        .flatMap(rule -> rule.getOperations().stream().map(op -> new AclBinding(pattern(rule.getResource()),
            new AccessControlEntry(principal, rule.getHost(), KAFKA_OPERATIONS.get(op.name()), AclPermissionType.ALLOW))))
        .collect(Collectors.toSet());
  }

  /** Kafka's operations by Strimzi's names for them (TRANSACTIONAL_ID is TRANSACTIONALID there). */
  private static final Map<String, AclOperation> KAFKA_OPERATIONS = Stream.of(AclOperation.values())
      .collect(Collectors.toMap(op -> op.name().replace("_", ""), Function.identity()));

  private static ResourcePattern pattern(AclRuleResource resource) {
    if (resource instanceof AclRuleTopicResource topic) {
      return new ResourcePattern(ResourceType.TOPIC, topic.getName(), kafka(topic.getPatternType()));
    }
    if (resource instanceof AclRuleGroupResource group) {
      return new ResourcePattern(ResourceType.GROUP, group.getName(), kafka(group.getPatternType()));
    }
    if (resource instanceof AclRuleTransactionalIdResource id) {
      return new ResourcePattern(ResourceType.TRANSACTIONAL_ID, id.getName(), kafka(id.getPatternType()));
    }
    if (resource instanceof AclRuleClusterResource) {
      return new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
    }
    throw new AssertionError("Unknown ACL resource " + resource.getType());
  }

  private static PatternType kafka(AclResourcePatternType type) {
    return type == AclResourcePatternType.PREFIX ? PatternType.PREFIXED : PatternType.LITERAL;
  }
}
