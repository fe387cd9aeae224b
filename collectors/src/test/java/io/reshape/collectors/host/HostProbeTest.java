package io.reshape.collectors.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.HostInventory;
import org.junit.jupiter.api.Test;

class HostProbeTest {

  @Test
  void readsThisHostsCapacity() throws Exception {
    HostInventory host = HostProbe.system().inventory("this-host");
    assertThat(host.getCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(host.getMemoryBytes()).isGreaterThan(256L << 20);
    assertThat(host.getSwapBytes()).isNotNegative();
    assertThat(host.getCoreMips()).isPositive();
  }
}
