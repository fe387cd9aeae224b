package io.reshape.jobs.idleness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reshape.events.QuantumSample;
import org.junit.jupiter.api.Test;

class VmIntervalTest {

  @Test
  void averagesOverTheVcpus() {
    VmInterval interval = VmInterval.of(Quanta.sample("vm", 0, 0, 0.9));
    interval.add(Quanta.sample("vm", 1, 0, 0.1));
    assertThat(interval.vcpus).isEqualTo(2);
    assertThat(interval.utilisation()).isCloseTo(0.5, within(1e-9));
    assertThat(interval.haltShare()).isCloseTo(0.49, within(1e-9));
    assertThat(interval.earlyYieldShare()).isCloseTo(100.0 / 300, within(1e-9));
  }

  @Test
  void haltShareIsUnknownWhenAnyVcpuLacksIt() {
    VmInterval interval = VmInterval.of(Quanta.sample("vm", 0, 0, 0.1));
    QuantumSample noHalts = QuantumSample.newBuilder(Quanta.sample("vm", 1, 0, 0.1)).setHaltNs(null).setHaltExits(null).build();
    interval.add(noHalts);
    assertThat(interval.haltShare()).isNull();
  }

  @Test
  void noSwitchesMeansNoEarlyYieldShare() {
    QuantumSample still = QuantumSample.newBuilder(Quanta.sample("vm", 0, 0, 0)).setVoluntarySwitches(0).setInvoluntarySwitches(0).build();
    assertThat(VmInterval.of(still).earlyYieldShare()).isNull();
  }
}
