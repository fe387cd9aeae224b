package io.reshape.jobs.footprints;

import static io.reshape.jobs.footprints.Samples.at;
import static io.reshape.jobs.footprints.Samples.window;
import static io.reshape.jobs.footprints.Samples.writtenSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.QuantumSample;
import org.junit.jupiter.api.Test;

class VmSignalTest {

  @Test
  void nicCountsLoseTheirEthernetHeadersToCompareWithFlows() {
    VmSignal total = VmSignal.sentInTotal(Samples.nic("vm-a", 0, 15_140, 10));
    assertThat(total.kind).isEqualTo(VmSignal.Kind.SENT_IN_TOTAL);
    assertThat(total.amount).isEqualTo(15_000);
    assertThat(total.startMicros).isEqualTo(at(0));
    assertThat(total.endMicros).isEqualTo(at(1));
    assertThat(VmSignal.sentInTotal(Samples.nic("vm-a", 0, 10, 1)).amount).isZero();
  }

  @Test
  void aFlowBetweenVmsIsSentByOneAndReceivedByTheOther() {
    VmSignal sent = VmSignal.sent(Samples.toVm("vm-a", "vm-b", 0, 900), "vm-b", true);
    VmSignal received = VmSignal.received(Samples.toVm("vm-a", "vm-b", 0, 900), "vm-b", "host-9");
    assertThat(sent).extracting(s -> s.vmId, s -> s.peer, s -> s.kind, s -> s.amount)
        .containsExactly("vm-a", "vm-b", VmSignal.Kind.SENT_TO_VM, 900.0);
    assertThat(received).extracting(s -> s.vmId, s -> s.hostId, s -> s.peer, s -> s.kind)
        .containsExactly("vm-b", "host-9", "vm-a", VmSignal.Kind.RECEIVED_FROM_VM);
  }

  @Test
  void cpuIsTheRunTimeOfOneVcpu() {
    QuantumSample quantum = QuantumSample.newBuilder()
        .setVmId("vm-a").setHostId("host-1").setVcpu(1)
        .setIntervalStart(Samples.T0).setIntervalEnd(Samples.T0.plusSeconds(1))
        .setRunNs(400_000_000).setRunqueueWaitNs(0).setVoluntarySwitches(1).setInvoluntarySwitches(0)
        .build();
    assertThat(VmSignal.cpu(quantum)).extracting(s -> s.vmId, s -> s.kind, s -> s.amount, s -> s.endMicros)
        .containsExactly("vm-a", VmSignal.Kind.CPU, 4e8, at(1));
  }

  @Test
  void theWrittenSetIsTheLongestWindowSeenWholeAndCoversAtMostTheShortest() {
    VmSignal writes = VmSignal.writes(writtenSet("vm-a", 100, 12.5,
        window(10, 100, true), window(60, 400, true), window(600, 900, false)));
    assertThat(writes.writtenSetPages).isEqualTo(400);
    assertThat(writes.dirtyPagesPerSecond).isEqualTo(12.5);
    assertThat(writes.startMicros).isEqualTo(at(90));
    assertThat(writes.endMicros).isEqualTo(at(100));
  }

  @Test
  void withNoWindowSeenWholeTheWrittenSetIsTheShortestsUpperBound() {
    VmSignal writes = VmSignal.writes(writtenSet("vm-a", 100, 1, window(10, 100, false), window(60, 400, false)));
    assertThat(writes.writtenSetPages).isEqualTo(100);
  }
}
