package io.reshape.jobs.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.Decision;
import io.reshape.events.Footprint;
import io.reshape.events.HostInventory;
import io.reshape.events.HostRole;
import io.reshape.events.InventoryRecord;
import io.reshape.events.Outcome;
import io.reshape.events.Plan;
import io.reshape.events.VmInventory;
import io.reshape.events.VmState;
import io.reshape.planner.PlannerInput;
import io.reshape.planner.PlannerSettings;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.Micros;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The planner's operator: cycles run as the watermark passes them, and one held for feedback neither runs nor spins. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PlanCellsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private KeyedOneInputStreamOperatorTestHarness<String, PlannerInput, Decision> harness;

  @BeforeEach
  void open() throws Exception {
    harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new PlanCells(PlannerSettings.defaults()), input -> input.cellId,
        Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void aCycleWaitingForAnOutcomeRunsWhenItComes() throws Exception {
    // Two hosts: the little VM's host can be emptied into the other at the cycle of 12:00:30.
    Instant at = T0.plusSeconds(10);
    offer(host("h1", at));
    offer(host("h2", at));
    offer(vm("little", "h1", at));
    offer(vm("big", "h2", at));
    offer(footprint("little", "h1", 0.3, at.plusSeconds(5)));
    offer(footprint("big", "h2", 2.0, at.plusSeconds(5)));

    harness.processWatermark(new Watermark(T0.plusSeconds(30).toEpochMilli()));
    List<Decision> decisions = harness.extractOutputValues();
    assertThat(decisions).singleElement().satisfies(d -> assertThat(d.getAction()).isEqualTo(Action.MIGRATE));
    assertThat(plans()).extracting(Plan::getPlannedAt).containsExactly(T0.plusSeconds(30));

    // Event time passes the next cycle while the migration's outcome is still out: nothing runs, and
    // the watermark returns (a timer re-set at the held cycle's own time would fire at once, forever).
    harness.processWatermark(new Watermark(T0.plusSeconds(95).toEpochMilli()));
    assertThat(plans()).hasSize(1);

    Decision move = decisions.get(0);
    offer(PlannerInput.of(Actuation.newBuilder().setDecisionId(move.getDecisionId()).setAction(move.getAction())
        .setVmId(move.getVmId()).setHostId("h1").setOutcome(Outcome.APPLIED).setDecidedAt(move.getCreatedAt())
        .setFinishedAt(move.getCreatedAt()).setDriver("test").setDetail("test").build()));
    assertThat(plans()).extracting(Plan::getPlannedAt)
        .containsExactly(T0.plusSeconds(30), T0.plusSeconds(60), T0.plusSeconds(90));
    assertThat(harness.extractOutputValues()).as("the VM is where it went, and cooling down").hasSize(1);
  }

  private List<Plan> plans() {
    return harness.getSideOutput(PlanCells.PLANS).stream().map(StreamRecord::getValue).toList();
  }

  private void offer(PlannerInput input) throws Exception {
    input.cellId = "cell";
    harness.processElement(input, input.eventMicros / 1000);
  }

  private static PlannerInput host(String id, Instant at) {
    HostInventory h = HostInventory.newBuilder().setHostId(id).setRole(HostRole.BARE_METAL).setCores(4).setCoreMips(1000)
        .setMemoryBytes(16L << 30).setSwapBytes(0).setKsmEnabled(false).setPricePerHour(0).build();
    return PlannerInput.inventory(InventoryKeys.host(id), new InventoryRecord(at, h), Micros.of(at));
  }

  private static PlannerInput vm(String id, String host, Instant at) {
    VmInventory v = VmInventory.newBuilder().setVmId(id).setHostId(host).setVcpus(4).setMemoryBytes(2L << 30)
        .setState(VmState.RUNNING).build();
    return PlannerInput.inventory(InventoryKeys.vm(id), new InventoryRecord(at, v), Micros.of(at));
  }

  private static PlannerInput footprint(String vm, String host, double cores, Instant at) {
    return PlannerInput.of(Footprint.newBuilder().setVmId(vm).setHostId(host).setComputedAt(at).setHalfLifeSeconds(300)
        .setCpuDemandCores(cores).setWrittenSetPages(0).setDirtyPagesPerSecond(0).setExternalBytesPerSecond(0)
        .setPeers(List.of()).build());
  }
}
