package io.reshape.schemas.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class RoleTest {

  @Test
  void everyCatalogueTopicHasAWriter() {
    Set<Topic<?>> written = Arrays.stream(Role.values()).flatMap(r -> r.writes().stream()).collect(Collectors.toSet());
    assertThat(written).containsExactlyInAnyOrderElementsOf(Topics.ALL);
  }

  @Test
  void aCollectorMayWriteTheHostSignalsOnly() {
    assertThat(Role.COLLECTOR.writes()).doesNotContain(Topics.DECISIONS, Topics.COMMANDS, Topics.ACTUATIONS, Topics.DEAD_LETTERS);
    assertThat(topicsGranted(Role.COLLECTOR, AclOperation.WRITE))
        .containsExactlyInAnyOrder("dirty-pages", "quanta", "traffic", "page-fingerprints", "inventory", "collector-positions");
  }

  @Test
  void anExecutorMayReadCommandsAndWriteActuationsAndDeadLettersOnly() {
    assertThat(topicsGranted(Role.EXECUTOR, AclOperation.READ)).containsExactly("commands");
    assertThat(topicsGranted(Role.EXECUTOR, AclOperation.WRITE)).containsExactlyInAnyOrder("actuations", "dead-letters");
  }

  @Test
  void noRolesPrefixCoversAnotherRolesNames() {
    for (Role owner : Role.values()) {
      for (Grant grant : owner.grants().stream().filter(Grant::prefixed).toList()) {
        for (Role other : Role.values()) {
          if (other != owner) {
            assertThat(other.clientNames()).as("%s's names under %s's prefix %s", other, owner, grant.name())
                .noneMatch(name -> (Role.NAME_PREFIX + name).startsWith(grant.name()));
          }
        }
      }
    }
  }

  @Test
  void aclBindingsAreAllowRulesForTheRolesPrincipalOnTheGrantedPatterns() {
    assertThat(Role.EXECUTOR.aclBindings()).allSatisfy(binding -> {
      assertThat(binding.entry().principal()).isEqualTo("User:reshape-executor");
      assertThat(binding.entry().permissionType().name()).isEqualTo("ALLOW");
    });
    assertThat(Role.EXECUTOR.aclBindings()).anySatisfy(binding -> {
      assertThat(binding.pattern().resourceType()).isEqualTo(ResourceType.TRANSACTIONAL_ID);
      assertThat(binding.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
      assertThat(binding.pattern().name()).isEqualTo("reshape-executor-");
    });
  }

  private static List<String> topicsGranted(Role role, AclOperation operation) {
    return role.grants().stream()
        .filter(g -> g.type() == ResourceType.TOPIC && !g.prefixed() && g.operations().contains(operation))
        .map(Grant::name).toList();
  }
}
