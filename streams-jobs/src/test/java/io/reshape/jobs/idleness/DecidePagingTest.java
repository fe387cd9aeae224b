package io.reshape.jobs.idleness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.reshape.events.Action;
import io.reshape.events.Decision;
import io.reshape.events.IdleState;
import io.reshape.events.IdlenessPrediction;
import io.reshape.jobs.inventory.VmPlacement;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecidePagingTest {

  private static final long GIB = 1L << 30;
  private static final long DUE = Quanta.T0.plusSeconds(20).toEpochMilli();

  private KeyedTwoInputStreamOperatorTestHarness<String, IdlenessPrediction, VmPlacement, Decision> harness;

  @BeforeEach
  void open() throws Exception {
    harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
        new DecidePaging(IdlenessSettings.defaults().withPageOutAfter(Duration.ofSeconds(20))),
        IdlenessPrediction::getVmId, vm -> vm.vmId, Types.STRING);
    harness.processElement2(VmPlacement.present("vm-1", "host-1", 2 * GIB), 0);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void change(IdleState state, int sinceSecond) throws Exception {
    IdlenessPrediction change = Quanta.change("vm-1", state, sinceSecond);
    harness.processElement1(change, change.getObservedAt().toEpochMilli());
  }

  private void watermark(long millis) throws Exception {
    harness.processBothWatermarks(new Watermark(millis));
  }

  @Test
  void pagesOutOnceWhenIdleLongEnoughAndSwapsInOnWaking() throws Exception {
    change(IdleState.IDLE, 0);
    watermark(DUE - 1);
    assertThat(harness.extractOutputValues()).isEmpty();

    watermark(DUE);
    watermark(DUE + 60_000);
    assertThat(harness.extractOutputValues()).singleElement().satisfies(d -> {
      assertThat(d.getAction()).isEqualTo(Action.PAGE_OUT);
      assertThat(d.getCreatedAt().toEpochMilli()).isEqualTo(DUE);
      assertThat(d.getExpectedBenefit().getMemoryBytes()).isEqualTo(2 * GIB);
    });

    change(IdleState.ACTIVE, 70);
    assertThat(harness.extractOutputValues()).extracting(Decision::getAction).containsExactly(Action.PAGE_OUT, Action.SWAP_IN);
  }

  @Test
  void aVmThatWakesBeforeTheThresholdIsLeftAlone() throws Exception {
    change(IdleState.IDLE, 0);
    change(IdleState.ACTIVE, 10);
    watermark(DUE + 60_000);
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void aPageOutDueBeforeTheVmWokeIsDecidedThoughTheWatermarkLagsBehind() throws Exception {
    // Both changes come before the watermark reaches the due time: a backlog read in one step.
    change(IdleState.IDLE, 0);
    change(IdleState.ACTIVE, 70);
    watermark(DUE + 60_000);
    assertThat(harness.extractOutputValues()).extracting(Decision::getAction, d -> d.getCreatedAt().toEpochMilli())
        .containsExactly(tuple(Action.PAGE_OUT, DUE), tuple(Action.SWAP_IN, Quanta.T0.plusSeconds(70).toEpochMilli()));
  }

  @Test
  void aVmThatLeavesTheInventoryIsForgotten() throws Exception {
    change(IdleState.IDLE, 0);
    assertThat(harness.numKeyedStateEntries()).isPositive();
    harness.processElement2(VmPlacement.gone("vm-1"), 1);
    watermark(DUE + 60_000);
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void aVmThatMovedWhileIdleIsPagedOutWhereItRunsNow() throws Exception {
    change(IdleState.IDLE, 0);
    harness.processElement2(VmPlacement.present("vm-1", "host-2", 2 * GIB), Quanta.T0.plusSeconds(5).toEpochMilli());
    watermark(DUE);
    assertThat(harness.extractOutputValues()).singleElement().satisfies(d -> assertThat(d.getHostId()).isEqualTo("host-2"));
  }
}
