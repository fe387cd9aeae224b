package io.reshape.collectors.host;

import io.reshape.events.QuantumSample;
import io.reshape.host.ThreadCounters;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;


class QuantumDeltasTest {

  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  private static VcpuCounters vcpu(int index, long tid, int second, long run, long vol, long invol, Long halt) {
    return new VcpuCounters(index, tid, T.plusSeconds(second), new ThreadCounters(run, run / 100, vol, invol), halt, halt == null ? null : halt / 1000);
  }

  @Test
  void samplesAreTheIncreasesOverTheInterval() {
    List<QuantumSample> out = QuantumDeltas.between("vm", "host",
        Map.of(0, vcpu(0, 7, 0, 1_000, 10, 1, 5_000_000L)),
        Map.of(0, vcpu(0, 7, 1, 51_000, 110, 3, 905_000_000L)));
    assertThat(out).singleElement().satisfies(s -> {
      assertThat(s.getRunNs()).isEqualTo(50_000);
      assertThat(s.getRunqueueWaitNs()).isEqualTo(500);
      assertThat(s.getVoluntarySwitches()).isEqualTo(100);
      assertThat(s.getInvoluntarySwitches()).isEqualTo(2);
      assertThat(s.getHaltNs()).isEqualTo(900_000_000L);
      assertThat(s.getHaltExits()).isEqualTo(900_000L);
      assertThat(s.getIntervalStart()).isEqualTo(T);
      assertThat(s.getIntervalEnd()).isEqualTo(T.plusSeconds(1));
    });
  }

  @Test
  void aCounterThatWentDownWasResetAndCountsFromZero() {
    List<QuantumSample> out = QuantumDeltas.between("vm", "host",
        Map.of(0, vcpu(0, 7, 0, 1_000_000, 500, 9, 9_000_000L)),
        Map.of(0, vcpu(0, 7, 1, 2_000, 4, 1, 3_000_000L)));
    assertThat(out.get(0).getRunNs()).isEqualTo(2_000);
    assertThat(out.get(0).getVoluntarySwitches()).isEqualTo(4);
    assertThat(out.get(0).getHaltNs()).isEqualTo(3_000_000L);
  }

  @Test
  void aNewThreadOrANewVcpuStartsANewSeries() {
    List<QuantumSample> out = QuantumDeltas.between("vm", "host",
        Map.of(0, vcpu(0, 7, 0, 1_000, 1, 1, null)),
        Map.of(0, vcpu(0, 8, 1, 2_000, 2, 2, null), 1, vcpu(1, 9, 1, 5_000, 1, 1, null)));
    assertThat(out).isEmpty();
  }

  @Test
  void haltsStayUnknownWhenQemuDoesNotReportThem() {
    List<QuantumSample> out = QuantumDeltas.between("vm", "host",
        Map.of(0, vcpu(0, 7, 0, 1_000, 1, 1, null)),
        Map.of(0, vcpu(0, 7, 1, 2_000, 2, 2, null)));
    assertThat(out.get(0).getHaltNs()).isNull();
    assertThat(out.get(0).getHaltExits()).isNull();
  }
}
