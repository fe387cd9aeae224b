package io.reshape.jobs.idleness;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.QuantumSample;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CombineVcpusTest {

  private KeyedOneInputStreamOperatorTestHarness<String, QuantumSample, VmInterval> harness;

  @BeforeEach
  void open() throws Exception {
    harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new CombineVcpus(), QuantumSample::getVmId, Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void sample(int vcpu, int second, double run) throws Exception {
    harness.processElement(Quanta.sample("vm-1", vcpu, second, run), Quanta.endMillis(second));
  }

  @Test
  void sumsTheVcpusOfAnIntervalWhateverTheirOrder() throws Exception {
    sample(0, 0, 0.9);
    sample(0, 1, 0.2);
    sample(1, 0, 0.1);
    assertThat(harness.extractOutputValues()).isEmpty();

    harness.processWatermark(new Watermark(Quanta.endMillis(0)));
    List<VmInterval> out = harness.extractOutputValues();
    assertThat(out).hasSize(1);
    VmInterval interval = out.get(0);
    assertThat(interval.vmId).isEqualTo("vm-1");
    assertThat(interval.vcpus).isEqualTo(2);
    assertThat(interval.runNs).isEqualTo(Quanta.SECOND_NS);
    assertThat(interval.endMicros).isEqualTo(Quanta.endMillis(0) * 1000);
  }

  @Test
  void leavesNoStateBehindOnceEveryIntervalIsOut() throws Exception {
    sample(0, 0, 0.5);
    sample(0, 1, 0.5);
    assertThat(harness.numKeyedStateEntries()).isPositive();
    harness.processWatermark(new Watermark(Quanta.endMillis(1)));
    assertThat(harness.extractOutputValues()).hasSize(2);
    assertThat(harness.numKeyedStateEntries()).isZero();
  }
}
