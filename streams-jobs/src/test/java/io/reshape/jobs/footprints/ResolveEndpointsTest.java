package io.reshape.jobs.footprints;

import static io.reshape.jobs.footprints.Samples.endMillis;
import static io.reshape.jobs.footprints.VmSignal.Kind.RECEIVED_FROM_VM;
import static io.reshape.jobs.footprints.VmSignal.Kind.SENT_IN_TOTAL;
import static io.reshape.jobs.footprints.VmSignal.Kind.SENT_TO_ENDPOINT;
import static io.reshape.jobs.footprints.VmSignal.Kind.SENT_TO_VM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.reshape.events.TrafficSample;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.assertj.core.api.ListAssert;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResolveEndpointsTest {

  private BroadcastOperatorTestHarness<TrafficSample, VmAddresses, VmSignal> harness;

  @BeforeEach
  void open() throws Exception {
    harness = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(new ResolveEndpoints(), ResolveEndpoints.FLEET);
    harness.processBroadcastElement(VmAddresses.present("vm-b", "host-2", List.of("10.0.0.2")), 0);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private ListAssert<Tuple> signalsFor(TrafficSample sample) throws Exception {
    harness.getOutput().clear();
    harness.processElement(sample, endMillis(sample));
    List<Tuple> signals = harness.extractOutputValues().stream()
        .map(s -> tuple(s.vmId, s.hostId, s.kind, s.peer, s.amount)).toList();
    return assertThat(signals);
  }

  @Test
  void aFlowToAnAddressOfAVmIsSentByOneAndReceivedByTheOtherOnItsHost() throws Exception {
    signalsFor(Samples.toEndpoint("vm-a", "10.0.0.2:5432", 0, 900)).containsExactly(
        tuple("vm-a", "host-1", SENT_TO_VM, "vm-b", 900.0),
        tuple("vm-b", "host-2", RECEIVED_FROM_VM, "vm-a", 900.0));
  }

  @Test
  void aFlowToAVmTheCollectorKnewStaysOnItsHost() throws Exception {
    signalsFor(Samples.toVm("vm-a", "vm-c", 0, 900)).containsExactly(
        tuple("vm-a", "host-1", SENT_TO_VM, "vm-c", 900.0),
        tuple("vm-c", "host-1", RECEIVED_FROM_VM, "vm-a", 900.0));
  }

  @Test
  void anUnknownAddressStaysAnEndpoint() throws Exception {
    signalsFor(Samples.toEndpoint("vm-a", "203.0.113.9:443", 0, 900)).containsExactly(
        tuple("vm-a", "host-1", SENT_TO_ENDPOINT, "203.0.113.9:443", 900.0));
  }

  @Test
  void anAddressOfTheSenderItselfStaysAnEndpoint() throws Exception {
    signalsFor(Samples.toEndpoint("vm-b", "10.0.0.2", 0, 900)).containsExactly(
        tuple("vm-b", "host-1", SENT_TO_ENDPOINT, "10.0.0.2", 900.0));
  }

  @Test
  void nicCountsAreTheSendersTotal() throws Exception {
    signalsFor(Samples.nic("vm-a", 0, 1140, 10)).containsExactly(
        tuple("vm-a", "host-1", SENT_IN_TOTAL, null, 1000.0));
  }

  @Test
  void aVmThatLeavesTheInventoryNoLongerOwnsItsAddresses() throws Exception {
    harness.processBroadcastElement(VmAddresses.gone("vm-b"), 1);
    signalsFor(Samples.toEndpoint("vm-a", "10.0.0.2", 0, 900)).containsExactly(
        tuple("vm-a", "host-1", SENT_TO_ENDPOINT, "10.0.0.2", 900.0));
  }

  @Test
  void theAddressesSurviveARestore() throws Exception {
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = new BroadcastOperatorTestHarness<>(
        new CoBroadcastWithNonKeyedOperator<>(new ResolveEndpoints(), List.of(ResolveEndpoints.FLEET)), 1, 1, 0);
    harness.initializeState(snapshot);
    harness.open();
    signalsFor(Samples.toEndpoint("vm-a", "10.0.0.2", 0, 900)).containsExactly(
        tuple("vm-a", "host-1", SENT_TO_VM, "vm-b", 900.0),
        tuple("vm-b", "host-2", RECEIVED_FROM_VM, "vm-a", 900.0));
  }
}
