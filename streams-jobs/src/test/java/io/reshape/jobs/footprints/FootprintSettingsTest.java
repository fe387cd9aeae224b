package io.reshape.jobs.footprints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FootprintSettingsTest {

  private final FootprintSettings defaults = FootprintSettings.defaults();

  @Test
  void theDefaultsHoldTogether() {
    assertThat(defaults.halfLife()).isEqualTo(Duration.ofMinutes(5));
    assertThat(defaults.topPeers()).isLessThanOrEqualTo(defaults.maxPeers());
  }

  @Test
  void nonsenseIsRefusedWithTheReason() {
    assertThatThrownBy(() -> defaults.withHalfLife(Duration.ZERO)).hasMessageContaining("halfLife and emissionInterval");
    assertThatThrownBy(() -> defaults.withEmissionInterval(Duration.ofNanos(10))).hasMessageContaining("at least 1 ms");
    assertThatThrownBy(() -> defaults.withPeers(0, 10)).hasMessageContaining("topPeers 0");
    assertThatThrownBy(() -> defaults.withPeers(20, 10)).hasMessageContaining("maxPeers 10");
    assertThatThrownBy(() -> defaults.withAffinityBytesPerSecond(0)).hasMessageContaining("positive number");
    assertThatThrownBy(() -> defaults.withAffinityBytesPerSecond(Double.NaN)).hasMessageContaining("NaN");
  }
}
