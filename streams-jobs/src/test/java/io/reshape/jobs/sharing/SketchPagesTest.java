package io.reshape.jobs.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.reshape.events.PageFingerprints;
import io.reshape.jobs.inventory.VmPlacement;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SketchPagesTest {

  private static final long GIB = 1L << 30;

  private final Guest guest = Guest.of(1024, page -> page % 3 == 0 ? 0 : page);
  private KeyedTwoInputStreamOperatorTestHarness<String, PageFingerprints, VmPlacement, VmSketch> harness;

  @BeforeEach
  void open() throws Exception {
    harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new SketchPages(SharingSettings.defaults()),
        PageFingerprints::getVmId, vm -> vm.vmId, Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** A window of a quarter of the guest's RAM, read on host-1. */
  private void fingerprints(int second) throws Exception {
    PageFingerprints record = guest.record("vm-1", "host-1", 256, second);
    harness.processElement1(record, record.getSampledAt().toEpochMilli());
  }

  private void placement(VmPlacement placement, int second) throws Exception {
    harness.processElement2(placement, Guest.at(second).toEpochMilli());
  }

  /** Event time reaches {@code second} on both inputs: what was held until then is taken. */
  private void watermark(int second) throws Exception {
    harness.processBothWatermarks(new Watermark(Guest.at(second).toEpochMilli()));
  }

  @Test
  void publishesTheFirstPassAsItGrowsThenEachPassOnceCompleteWithTheInventorysHost() throws Exception {
    fingerprints(0);
    watermark(0);
    placement(VmPlacement.present("vm-1", "host-2", GIB), 1);
    placement(VmPlacement.present("vm-1", "host-2", GIB), 2);
    watermark(2);
    for (int second = 10; second < 17; second++) {
      fingerprints(second);
    }
    assertThat(harness.extractOutputValues()).as("nothing before event time gets there").hasSize(2);
    watermark(16);
    assertThat(harness.extractOutputValues())
        .extracting(vm -> vm.hostId, vm -> vm.sketch.pagesRead, vm -> vm.sketch.sampledUntilMicros)
        .containsExactly(
            tuple("host-1", 256L, Guest.micros(0)),
            tuple("host-2", 256L, Guest.micros(0)),
            tuple("host-2", 512L, Guest.micros(10)),
            tuple("host-2", 1024L, Guest.micros(12)),
            tuple("host-2", 1024L, Guest.micros(16)));
  }

  @Test
  void theInventoryCountsBeforeTheFingerprintsOfTheSameInstantWhicheverArrivesFirst() throws Exception {
    fingerprints(0);
    fingerprints(5);
    placement(VmPlacement.present("vm-1", "host-2", GIB), 5);
    watermark(5);
    assertThat(harness.extractOutputValues()).as("the move first (the sketch so far, again with its new host), then the window")
        .extracting(vm -> vm.hostId, vm -> vm.sketch.pagesRead)
        .containsExactly(tuple("host-1", 256L), tuple("host-2", 256L), tuple("host-2", 512L));
  }

  @Test
  void aVmThatLeavesTheInventoryIsPublishedAsGoneAndForgotten() throws Exception {
    fingerprints(0);
    placement(VmPlacement.present("vm-1", "host-1", GIB), 1);
    watermark(1);
    // Read at the instant the VM left, delivered before its departure: it must not bring the VM back.
    fingerprints(10);
    placement(VmPlacement.gone("vm-1"), 10);
    watermark(10);
    assertThat(harness.extractOutputValues()).last().satisfies(vm -> {
      assertThat(vm.vmId).isEqualTo("vm-1");
      assertThat(vm.gone()).isTrue();
    });
    assertThat(harness.numKeyedStateEntries()).isZero();
  }
}
