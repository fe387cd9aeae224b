package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.coordinator.CoordinatorTopology;
import io.reshape.actuator.executor.ExecutorSettings;
import io.reshape.jobs.footprints.FootprintsJob;
import io.reshape.jobs.generations.GenerationsJob;
import io.reshape.jobs.idleness.IdlenessJob;
import io.reshape.jobs.planner.PlannerJob;
import io.reshape.jobs.sharing.SharingJob;
import io.reshape.schemas.access.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The names the clients use are the names the roles' ACLs grant: a job or application renamed
 * without its role would be refused by a secured cluster.
 */
class RoleNamesTest {

  @Test
  void everyFlinkJobIsNamedByItsRole() {
    assertThat(Role.ANALYTICS.clientNames())
        .containsExactlyInAnyOrder(FootprintsJob.NAME, IdlenessJob.NAME, GenerationsJob.NAME, SharingJob.NAME);
    assertThat(Role.PLANNER.clientNames()).containsExactly(PlannerJob.NAME);
  }

  @Test
  void theStreamsApplicationsAreNamedByTheirRoles() {
    assertThat(List.of(Role.NAME_PREFIX + Role.COORDINATOR.clientNames().get(0))).containsExactly(CoordinatorTopology.APPLICATION_ID);
    String executorPrefix = Role.NAME_PREFIX + Role.EXECUTOR.clientNames().get(0);
    assertThat(ExecutorSettings.applicationId(Set.of())).startsWith(executorPrefix);
    assertThat(ExecutorSettings.applicationId(Set.of("host-1", "host-2"))).startsWith(executorPrefix);
  }
}
