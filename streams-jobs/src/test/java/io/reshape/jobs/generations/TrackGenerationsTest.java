package io.reshape.jobs.generations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.events.GenerationDiff;
import io.reshape.events.GenerationRequest;
import io.reshape.events.Outcome;
import io.reshape.events.WrittenSet;
import io.reshape.jobs.inventory.VmPlacement;
import io.reshape.schemas.PageBitmaps;
import io.reshape.jobs.kafka.EventTime;
import java.time.Duration;
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
import org.roaringbitmap.RoaringBitmap;

class TrackGenerationsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final int PAGES = 8192;

  private KeyedOneInputStreamOperatorTestHarness<String, MemoryEvent, GenerationDiff> harness;

  @BeforeEach
  void open() throws Exception {
    GenerationSettings settings = new GenerationSettings(List.of(Duration.ofSeconds(5)), 64, 4, Duration.ofDays(1),
        Duration.ofSeconds(10), EventTime.defaults());
    harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new TrackGenerations(settings), e -> e.vmId, Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** Pages written on {@code host} in the second ending at {@code second}. */
  private void written(String vm, String host, int second, int... pages) throws Exception {
    DirtyPages d = DirtyPages.newBuilder().setVmId(vm).setHostId(host)
        .setIntervalStart(T0.plusSeconds(second - 1)).setIntervalEnd(T0.plusSeconds(second))
        .setSource(DirtyPageSource.KVM_DIRTY_LOG).setCollectorEpoch(second).setPageSize(4096).setGuestPhysicalBase(0)
        .setPageCount(PAGES).setDirtyCount(pages.length).setBitmap(PageBitmaps.encode(RoaringBitmap.bitmapOf(pages))).build();
    harness.processElement(MemoryEvent.written(d), T0.plusSeconds(second).toEpochMilli());
  }

  private void ask(String vm, String host, int second) throws Exception {
    harness.processElement(MemoryEvent.asked(new GenerationRequest(vm, host, T0.plusSeconds(second))), T0.plusSeconds(second).toEpochMilli());
  }

  private void watermark(int second) throws Exception {
    harness.processWatermark(new Watermark(T0.plusSeconds(second).toEpochMilli()));
  }

  private List<GenerationDiff> answers() {
    return harness.extractOutputValues();
  }

  @Test
  void eventsApplyInEventTimeOrderWhateverOrderTheyArrive() throws Exception {
    written("vm-1", "A", 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    written("vm-1", "B", 3, 5);             // after the move, written on B...
    written("vm-1", "A", 2, 7);             // ...arrives before the last second on A
    ask("vm-1", "A", 4);
    watermark(10);

    GenerationDiff backToA = answers().stream().filter(a -> a.getCandidateHostId().equals("A")
        && a.getComputedAt().equals(T0.plusSeconds(4))).findFirst().orElseThrow();
    assertThat(backToA.getPagesToSend()).as("only page 5 changed since the VM left A").isEqualTo(1);
    assertThat(backToA.getBytesToSend()).isEqualTo(4096);
    assertThat(backToA.getImageEpoch()).isEqualTo(2L);
    assertThat(backToA.getCurrentEpoch()).isEqualTo(3L);
    assertThat(backToA.getReuseRatio()).isEqualTo(1 - 1.0 / PAGES);
  }

  @Test
  void everyHostHoldingAnImageIsAnsweredEveryPublicationWithTheWrittenSet() throws Exception {
    written("vm-1", "A", 1, 1, 2, 3);
    harness.processElement(MemoryEvent.placed(VmPlacement.present("vm-1", "B", (long) PAGES * 4096), T0.plusSeconds(1).toEpochMilli() + 500),
        T0.plusSeconds(1).toEpochMilli() + 500);
    for (int second = 2; second <= 12; second++) {
      written("vm-1", "B", second, second % 3);
    }
    watermark(20);

    // Published at the first interval (no image yet: a written set only), then 10 s later.
    assertThat(answers()).singleElement().satisfies(a -> {
      assertThat(a.getCandidateHostId()).isEqualTo("A");
      assertThat(a.getComputedAt()).isEqualTo(T0.plusSeconds(11));
      assertThat(a.getPagesToSend()).as("pages 0, 1 and 2 written on B").isEqualTo(3);
    });
    List<WrittenSet> sets = harness.getSideOutput(TrackGenerations.WRITTEN_SETS).stream().map(StreamRecord::getValue).toList();
    assertThat(sets).hasSize(2);
    assertThat(sets.get(1).getHostId()).isEqualTo("B");
    assertThat(sets.get(1).getWindows()).singleElement().satisfies(w -> {
      assertThat(w.getWindowSeconds()).isEqualTo(5);
      assertThat(w.getWrittenPages()).isEqualTo(3);
      assertThat(w.getComplete()).isTrue();
    });
    assertThat(sets.get(1).getDirtyPagesPerSecond()).isEqualTo(1.0);
  }

  @Test
  void aCarriedOutMigrationLeavesAnImageAndOtherOutcomesDoNot() throws Exception {
    written("vm-1", "A", 1, 1, 2, 3);
    actuation(Outcome.DRY_RUN, 2);
    ask("vm-1", "A", 3);
    actuation(Outcome.APPLIED, 4);
    ask("vm-1", "A", 5);
    ask("vm-1", "C", 5);
    watermark(10);
    assertThat(answers()).extracting(GenerationDiff::getCandidateHostId, GenerationDiff::getPagesToSend, GenerationDiff::getImageEpoch)
        .containsExactly(
            tuple("A", 0, 1L),       // still running there
            tuple("A", 0, 1L),       // left, nothing written since
            tuple("C", PAGES, null)); // never there
  }

  private void actuation(Outcome outcome, int second) throws Exception {
    Actuation a = Actuation.newBuilder().setDecisionId("d-" + second).setCommandId("c").setAction(Action.MIGRATE).setVmId("vm-1")
        .setHostId("A").setOutcome(outcome).setDecidedAt(T0.plusSeconds(second - 1)).setStartedAt(null)
        .setFinishedAt(T0.plusSeconds(second)).setDriver("qmp").setDetail("").build();
    MemoryEvent.left(a).ifPresent(e -> {
      try {
        harness.processElement(e, T0.plusSeconds(second).toEpochMilli());
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
    });
  }

  @Test
  void aVmTheInventorySaysIsGoneLeavesNoState() throws Exception {
    written("vm-1", "A", 1, 1, 2, 3);
    written("vm-2", "A", 1, 4);
    watermark(5);
    assertThat(harness.numKeyedStateEntries()).isPositive();
    harness.processElement(MemoryEvent.placed(VmPlacement.gone("vm-1"), T0.plusSeconds(6).toEpochMilli()), T0.plusSeconds(6).toEpochMilli());
    harness.processElement(MemoryEvent.placed(VmPlacement.gone("vm-2"), T0.plusSeconds(6).toEpochMilli()), T0.plusSeconds(6).toEpochMilli());
    watermark(10);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aVmNeverSeenWritingIsSizedByTheInventory() throws Exception {
    harness.processElement(MemoryEvent.placed(VmPlacement.present("vm-3", "A", 1L << 30), T0.toEpochMilli()), T0.toEpochMilli());
    ask("vm-3", "B", 1);
    watermark(5);
    assertThat(answers()).singleElement().satisfies(a -> {
      assertThat(a.getPageCount()).isEqualTo(262_144);
      assertThat(a.getPagesToSend()).isEqualTo(262_144);
      assertThat(a.getReuseRatio()).isZero();
    });
  }
}
