package io.reshape.schemas.access;

import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Operations a role may perform on one Kafka resource, or on every resource whose name starts
 * with {@code name} when {@code prefixed}. Nothing is ever denied: what no grant allows is refused.
 */
public record Grant(ResourceType type, String name, boolean prefixed, Set<AclOperation> operations) {

  public Grant {
    operations = Set.copyOf(operations);
    if (operations.isEmpty()) {
      throw new IllegalArgumentException("A grant on " + type + " " + name + " allows no operation");
    }
  }

  /** The broker's ACLs for this grant to {@code principal} ({@code User:name}), from any host. */
  public Set<AclBinding> aclBindings(String principal) {
    ResourcePattern pattern = new ResourcePattern(type, name, prefixed ? PatternType.PREFIXED : PatternType.LITERAL);
    return Set.copyOf(operations.stream()
        .map(op -> new AclBinding(pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)))
        .toList());
  }
}
