package io.reshape.jobs.idleness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reshape.events.IdleState;
import io.reshape.events.IdlenessPrediction;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class TrackIdlenessTest {

  private static KeyedOneInputStreamOperatorTestHarness<String, VmInterval, IdlenessPrediction> harness() throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new TrackIdleness(IdlenessSettings.defaults()), i -> i.vmId, Types.STRING);
  }

  private static void second(KeyedOneInputStreamOperatorTestHarness<String, VmInterval, IdlenessPrediction> harness,
      String vm, int second, double load) throws Exception {
    harness.processElement(VmInterval.of(Quanta.sample(vm, 0, second, load)), Quanta.endMillis(second));
  }

  @Test
  void publishesEachChangeOfStateOnce() throws Exception {
    try (var harness = harness()) {
      double[] load = {0.6, 0.7, 0.01, 0.01, 0.01, 0.01, 0.02, 0.8};
      for (int second = 0; second < load.length; second++) {
        second(harness, "vm-1", second, load[second]);
      }
      assertThat(harness.extractOutputValues())
          .extracting(IdlenessPrediction::getState, p -> p.getStateSince().getEpochSecond() - Quanta.T0.getEpochSecond())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(IdleState.ACTIVE, 0L),
              org.assertj.core.groups.Tuple.tuple(IdleState.IDLE, 2L),
              org.assertj.core.groups.Tuple.tuple(IdleState.ACTIVE, 7L));
      IdlenessPrediction idle = harness.extractOutputValues().get(1);
      assertThat(idle.getUtilisation()).isLessThan(0.05);
      assertThat(idle.getHaltShare()).isGreaterThan(0.9);
      assertThat(idle.getObservedAt()).isEqualTo(Quanta.T0.plusSeconds(5));
      // A first idle period: nothing to predict it from.
      assertThat(idle.getPredictedIdleMillis()).isNull();
      assertThat(idle.getPredictedWakeAt()).isNull();
      assertThat(idle.getConfidence()).isNull();
    }
  }

  @Test
  void predictsEachVmsIdlePeriodsFromItsOwnPast() throws Exception {
    try (var harness = harness()) {
      // Cycles of 5 busy seconds, then 20 idle ones on vm-1 and 8 on vm-2, interleaved in time.
      for (int second = 0; second < 100; second++) {
        second(harness, "vm-1", second, second % 25 < 5 ? 0.8 : 0.01);
        second(harness, "vm-2", second, second % 13 < 5 ? 0.8 : 0.01);
      }
      assertIdlePeriodsPredicted(idleReports(harness, "vm-1"), Duration.ofSeconds(20));
      assertIdlePeriodsPredicted(idleReports(harness, "vm-2"), Duration.ofSeconds(8));
    }
  }

  private static List<IdlenessPrediction> idleReports(
      KeyedOneInputStreamOperatorTestHarness<String, VmInterval, IdlenessPrediction> harness, String vm) {
    return harness.extractOutputValues().stream()
        .filter(p -> p.getVmId().equals(vm) && p.getState() == IdleState.IDLE)
        .toList();
  }

  private static void assertIdlePeriodsPredicted(List<IdlenessPrediction> idle, Duration period) {
    assertThat(idle).hasSizeGreaterThan(2);
    assertThat(idle.get(0).getPredictedIdleMillis()).isNull();
    for (IdlenessPrediction later : idle.subList(1, idle.size())) {
      Duration predictedPeriod = Duration.between(later.getStateSince(), later.getPredictedWakeAt());
      assertThat(predictedPeriod.toMillis()).isCloseTo(period.toMillis(), within(500L));
      assertThat(later.getPredictedWakeAt()).isEqualTo(later.getObservedAt().plusMillis(later.getPredictedIdleMillis()));
      assertThat(later.getConfidence()).isGreaterThan(0.5);
    }
  }

  @Test
  void theTrackIsKeptAsAFlinkPojo() {
    TypeInformation<IdleTrack> track = TypeInformation.of(IdleTrack.class);
    assertThat(track).isInstanceOf(PojoTypeInfo.class);
    PojoTypeInfo<IdleTrack> pojo = (PojoTypeInfo<IdleTrack>) track;
    assertThat(pojo.getTypeAt(pojo.getFieldIndex("idlePeriods"))).isInstanceOf(PojoTypeInfo.class);
  }
}
