package io.reshape.jobs.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.SharingEstimate;
import io.reshape.jobs.kafka.EventTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pairs of VMs smaller than the sketch, so that every estimate is exact. */
class ComparePairsTest {

  private static final int K = 4096;

  private KeyedOneInputStreamOperatorTestHarness<String, VmSketch, SharingEstimate> harness;

  private void open(double minSimilarity, long minSharedPages) throws Exception {
    open(minSimilarity, minSharedPages, Duration.ZERO);
  }

  private void open(double minSimilarity, long minSharedPages, Duration pairInterval) throws Exception {
    SharingSettings settings = new SharingSettings(K, minSimilarity, minSharedPages, Duration.ofMinutes(1), pairInterval,
        EventTime.defaults());
    harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ComparePairs(settings), vm -> ComparePairs.FLEET,
        Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** A VM holding contents [from, to), its pass complete at {@code second}. */
  private void sketch(String vmId, int from, int to, int second) throws Exception {
    harness.processElement(update(vmId, from, to, second), Guest.at(second).toEpochMilli());
    harness.processWatermark(Guest.at(second).toEpochMilli());
  }

  private static VmSketch update(String vmId, int from, int to, int second) {
    Guest guest = Guest.of(to - from, page -> from + page);
    PageSketch sketch = guest.sketch(K, guest.pageCount());
    sketch.sampledUntilMicros = Guest.micros(second);
    return VmSketch.of(vmId, "host-1", sketch);
  }

  @Test
  void reportsOnlyThePairsThatShareEnoughKeyedInOrder() throws Exception {
    open(0.1, Long.MAX_VALUE);
    sketch("vm-a", 1, 1001, 0);
    sketch("vm-c", 5001, 6001, 1);
    sketch("vm-b", 501, 1501, 2);
    assertThat(harness.extractOutputValues()).singleElement().satisfies(e -> {
      assertThat(e.getVmA()).isEqualTo("vm-a");
      assertThat(e.getVmB()).isEqualTo("vm-b");
      assertThat(e.getSimilarity()).isEqualTo(500.0 / 1500);
      assertThat(e.getSharedPages()).isEqualTo(500);
      assertThat(e.getSampledPages()).isEqualTo(1500);
      assertThat(e.getComputedAt()).isEqualTo(Guest.at(2));
    });
  }

  @Test
  void sharedPagesAloneCanMakeAPairWorthReporting() throws Exception {
    open(0.5, 400);
    sketch("vm-a", 1, 1001, 0);
    sketch("vm-b", 501, 1501, 1);
    sketch("vm-c", 1301, 2301, 2);
    assertThat(harness.extractOutputValues()).singleElement()
        .satisfies(e -> assertThat(e.getVmA() + "|" + e.getVmB()).isEqualTo("vm-a|vm-b"));
  }

  @Test
  void aPairThatStopsSharingIsReportedOnceMore() throws Exception {
    open(0.1, Long.MAX_VALUE);
    sketch("vm-a", 1, 1001, 0);
    sketch("vm-b", 501, 1501, 1);
    sketch("vm-b", 7001, 8001, 2);
    sketch("vm-b", 9001, 10001, 3);
    assertThat(harness.extractOutputValues()).extracting(SharingEstimate::getSimilarity).containsExactly(500.0 / 1500, 0.0);
  }

  @Test
  void aSketchSentAgainBecauseItsVmMovedIsNotComparedAgain() throws Exception {
    open(0.1, Long.MAX_VALUE);
    sketch("vm-a", 1, 1001, 0);
    sketch("vm-b", 501, 1501, 1);
    sketch("vm-b", 501, 1501, 1);
    assertThat(harness.extractOutputValues()).hasSize(1);
  }

  @Test
  void aVmThatIsGoneIsForgotten() throws Exception {
    open(0.1, Long.MAX_VALUE);
    sketch("vm-a", 1, 1001, 0);
    sketch("vm-b", 501, 1501, 1);
    harness.processElement(VmSketch.gone("vm-b"), Guest.at(2).toEpochMilli());
    harness.processElement(VmSketch.gone("vm-a"), Guest.at(3).toEpochMilli());
    harness.processWatermark(Guest.at(3).toEpochMilli());
    assertThat(harness.numKeyedStateEntries()).isZero();

    // Nothing of the old pair is remembered: sharing nothing now is no change to report.
    sketch("vm-a", 1, 1001, 4);
    sketch("vm-b", 7001, 8001, 5);
    assertThat(harness.extractOutputValues()).hasSize(1);
  }

  @Test
  void updatesOfOneInstantGiveTheSameEstimatesWhicheverArrivesFirst() throws Exception {
    List<String> aFirst = estimatesOfTwoRefreshes(false);
    assertThat(aFirst).as("one estimate an instant, the second between both new sketches: 1..1000 and 201..1200")
        .containsExactly("vm-a|vm-b 500 at " + Guest.at(0), "vm-a|vm-b 800 at " + Guest.at(1));
    assertThat(estimatesOfTwoRefreshes(true)).isEqualTo(aFirst);
  }

  /** vm-a and vm-b sketched at second 0, both refreshed at second 1 with more in common; the refreshes delivered in either order. */
  private List<String> estimatesOfTwoRefreshes(boolean bFirst) throws Exception {
    open(0.1, Long.MAX_VALUE);
    sketch("vm-a", 1, 1001, 0);
    sketch("vm-b", 501, 1501, 0);
    List<VmSketch> refreshes = new ArrayList<>(List.of(update("vm-a", 1, 1001, 1), update("vm-b", 201, 1201, 1)));
    if (bFirst) {
      Collections.reverse(refreshes);
    }
    for (VmSketch refresh : refreshes) {
      harness.processElement(refresh, Guest.at(1).toEpochMilli());
    }
    harness.processWatermark(Guest.at(1).toEpochMilli());
    List<String> estimates = harness.extractOutputValues().stream()
        .map(e -> e.getVmA() + "|" + e.getVmB() + " " + e.getSharedPages() + " at " + e.getComputedAt()).toList();
    harness.close();
    return estimates;
  }

  @Test
  void aVmIsComparedAtMostOncePerPairIntervalItsFirstSketchAtOnce() throws Exception {
    open(0.1, Long.MAX_VALUE, Duration.ofSeconds(60));
    sketch("vm-a", 1, 1001, 0);
    sketch("vm-b", 501, 1501, 1);
    assertThat(harness.extractOutputValues()).as("vm-b's first sketch, compared at once").hasSize(1);
    // vm-b's refresh 20 s later: within the interval of its comparison at second 1, not compared.
    sketch("vm-b", 1, 1001, 21);
    assertThat(harness.extractOutputValues()).hasSize(1);
    // At second 61 it is due again, and its latest sketch is compared: the same contents as vm-a's now.
    sketch("vm-b", 1, 1001, 61);
    assertThat(harness.extractOutputValues()).hasSize(2).last().satisfies(e -> assertThat(e.getSimilarity()).isEqualTo(1.0));
  }
}
