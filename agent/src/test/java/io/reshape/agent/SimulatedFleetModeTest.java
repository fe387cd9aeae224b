package io.reshape.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedFleetModeTest {

  @Test
  void absentWithoutTheVariable() {
    assertThat(SimulatedFleetMode.fromEnv(Map.of())).isEmpty();
    assertThat(SimulatedFleetMode.fromEnv(Map.of("RESHAPE_SIMULATED_FLEET", " "))).isEmpty();
  }

  @Test
  void readsHostsByVmsAndSpeed() {
    SimulatedFleetMode mode = SimulatedFleetMode.fromEnv(
        Map.of("RESHAPE_SIMULATED_FLEET", "4x8", "RESHAPE_SIMULATED_SPEED", "2.5")).orElseThrow();
    assertThat(mode.spec().hosts()).isEqualTo(4);
    assertThat(mode.spec().vmsPerHost()).isEqualTo(8);
    assertThat(mode.spec().labVms()).isZero();
    assertThat(mode.speed()).isEqualTo(2.5);
  }

  @Test
  void refusesWhatIsNoFleetWithTheVariableInTheMessage() {
    assertThatThrownBy(() -> SimulatedFleetMode.fromEnv(Map.of("RESHAPE_SIMULATED_FLEET", "four")))
        .hasMessageContaining("RESHAPE_SIMULATED_FLEET").hasMessageContaining("HOSTSxVMS");
    assertThatThrownBy(() -> SimulatedFleetMode.fromEnv(Map.of("RESHAPE_SIMULATED_FLEET", "0x8")))
        .hasMessageContaining("at least one host");
    assertThatThrownBy(() -> SimulatedFleetMode.fromEnv(Map.of("RESHAPE_SIMULATED_FLEET", "2x2", "RESHAPE_SIMULATED_SPEED", "-1")))
        .hasMessageContaining("RESHAPE_SIMULATED_SPEED");
  }
}
