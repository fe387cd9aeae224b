package io.reshape.deploy;

import io.reshape.schemas.Topics;
import io.reshape.schemas.access.Grant;
import io.reshape.schemas.access.Role;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A user of the Kafka cluster and what it may do: one per {@link Role}, and the few that are no
 * role of the pipeline.
 */
public record ClusterUser(String name, List<Grant> grants) {

  /** The host agent runs the collector and the executor in one process, so it signs in once, as both. */
  public static final ClusterUser AGENT = new ClusterUser(Role.NAME_PREFIX + "agent",
      Stream.concat(Role.COLLECTOR.grants().stream(), Role.EXECUTOR.grants().stream()).toList());

  /** The set-up creates the catalogue's topics and brings their settings to the catalogue's. */
  public static final ClusterUser SETUP = new ClusterUser(Role.NAME_PREFIX + "setup", Topics.ALL.stream()
      .map(t -> new Grant(ResourceType.TOPIC, t.name(), false,
          Set.of(AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS)))
      .toList());

  /** The schema registry keeps its schemas in {@code _schemas} and elects its leader in its group. */
  public static final ClusterUser SCHEMA_REGISTRY = new ClusterUser(Role.NAME_PREFIX + "schema-registry", List.of(
      new Grant(ResourceType.TOPIC, "_schemas", false, Set.of(AclOperation.CREATE, AclOperation.DESCRIBE,
          AclOperation.DESCRIBE_CONFIGS, AclOperation.READ, AclOperation.WRITE)),
      new Grant(ResourceType.GROUP, "schema-registry", false, Set.of(AclOperation.READ, AclOperation.DESCRIBE))));

  public ClusterUser {
    grants = List.copyOf(grants);
  }

  /** The user of a role, with exactly the role's grants. */
  public static ClusterUser of(Role role) {
    return new ClusterUser(role.userName(), role.grants());
  }

  /** Every user of the cluster: the roles', then the agent, the set-up and the registry. */
  public static List<ClusterUser> all() {
    return Stream.concat(Stream.of(Role.values()).map(ClusterUser::of), Stream.of(AGENT, SETUP, SCHEMA_REGISTRY))
        .toList();
  }

  /** The broker's ACLs for this user. */
  public Set<AclBinding> aclBindings() {
    return Set.copyOf(grants.stream().flatMap(g -> g.aclBindings("User:" + name).stream()).toList());
  }
}
