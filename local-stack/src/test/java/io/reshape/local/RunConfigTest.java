package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.actuator.coordinator.CoordinatorSettings;
import io.reshape.collectors.sim.FleetSpec;
import io.reshape.jobs.analytics.AnalyticsSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunConfigTest {

  private static RunConfig config(Duration outOfOrderness, int parallelism, int taskManagers) {
    return new RunConfig(Duration.ofMinutes(1), 2, 3, FleetSpec.DEFAULT_MIX, Duration.ofSeconds(1), 1.0, Duration.ofMinutes(10), 1,
        0, Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), outOfOrderness, parallelism,
        taskManagers, Duration.ofSeconds(2), 1, null, true, 0);
  }

  @Test
  void everyJobAllowsTheOutOfOrdernessTheRunIsGiven() {
    AnalyticsSettings analytics = config(Duration.ofMillis(500), 2, 1).pipeline(false).analytics();
    assertThat(List.of(analytics.idleness().eventTime(), analytics.generations().eventTime(),
        analytics.footprints().eventTime(), analytics.sharing().eventTime(), analytics.planner().eventTime()))
        .allSatisfy(eventTime -> assertThat(eventTime.outOfOrderness()).isEqualTo(Duration.ofMillis(500)));
  }

  @Test
  void theSlotsAreSharedAmongTheTaskManagers() {
    PipelineSettings pipeline = config(Duration.ofSeconds(2), 4, 2).pipeline(false);
    assertThat(pipeline.taskManagers()).isEqualTo(2);
    assertThat(pipeline.parallelism()).isEqualTo(4);
    assertThatThrownBy(() -> new PipelineSettings(1, 2, Duration.ofSeconds(2), false, AnalyticsSettings.defaults(),
        CoordinatorSettings.defaults(), 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 TaskManagers");
  }
}
