package io.reshape.collectors.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetSpecTest {

  @Test
  void eachWorkloadGetsItsShareOfTheFleet() {
    FleetSpec spec = new FleetSpec(10, 10, FleetSpec.DEFAULT_MIX, Duration.ofMinutes(10), 1, 0, Duration.ZERO);
    Map<Workload, Integer> counts = new EnumMap<>(Workload.class);
    for (int i = 0; i < spec.vms(); i++) {
      counts.merge(spec.workloadOf(i), 1, Integer::sum);
    }
    assertThat(counts).containsEntry(Workload.IDLE, 40).containsEntry(Workload.STEADY, 25)
        .containsEntry(Workload.BURSTY, 20).containsEntry(Workload.DIURNAL, 15);
  }

  @Test
  void twoVmsHalfIdleHalfSteadyGiveOneOfEach() {
    FleetSpec spec = new FleetSpec(1, 2, Map.of(Workload.IDLE, 1.0, Workload.STEADY, 1.0), Duration.ofMinutes(10), 1, 0, Duration.ZERO);
    assertThat(spec.workloadOf(0)).isEqualTo(Workload.IDLE);
    assertThat(spec.workloadOf(1)).isEqualTo(Workload.STEADY);
  }

  @Test
  void refusesAnEmptyFleetOrMix() {
    assertThatThrownBy(() -> new FleetSpec(0, 1, FleetSpec.DEFAULT_MIX, Duration.ofMinutes(1), 1, 0, Duration.ZERO)).hasMessageContaining("at least one host");
    assertThatThrownBy(() -> new FleetSpec(1, 1, Map.of(Workload.IDLE, 0.0), Duration.ofMinutes(1), 1, 0, Duration.ZERO)).hasMessageContaining("positive shares");
  }
}
