package io.reshape.jobs.idleness;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.IdleState;
import io.reshape.events.IdlenessPrediction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class TrackIdlenessTest {

  @Test
  void publishesEachChangeOfStateOnce() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, VmInterval, IdlenessPrediction> harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(new TrackIdleness(IdlenessSettings.defaults()), i -> i.vmId, Types.STRING)) {
      double[] load = {0.6, 0.7, 0.01, 0.01, 0.01, 0.01, 0.02, 0.8};
      for (int second = 0; second < load.length; second++) {
        harness.processElement(VmInterval.of(Quanta.sample("vm-1", 0, second, load[second])), Quanta.endMillis(second));
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
    }
  }
}
