package io.reshape.jobs.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.reshape.events.HostSharing;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VMs smaller than the sketch, so that every figure is exact; figures once a minute. */
class EstimateHostSharingTest {

  private static final int K = 4096;
  /** Contents 1 to 1000, each twice. */
  private static final PageSketch A = Guest.of(2000, page -> 1 + page % 1000).sketch(K, 500);
  /** Contents 501 to 1500. */
  private static final PageSketch B = Guest.of(1000, page -> 501 + page).sketch(K, 500);
  /** Contents 1001 to 2000. */
  private static final PageSketch C = Guest.of(1000, page -> 1001 + page).sketch(K, 500);

  private KeyedOneInputStreamOperatorTestHarness<String, VmSketch, HostSharing> harness;

  @BeforeEach
  void open() throws Exception {
    harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new EstimateHostSharing(SharingSettings.defaults()),
        vm -> ComparePairs.FLEET, Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void update(VmSketch vm, int second) throws Exception {
    harness.processElement(vm, Guest.at(second).toEpochMilli());
  }

  private List<HostSharing> publishedUpTo(int second) throws Exception {
    int before = harness.extractOutputValues().size();
    harness.processWatermark(new Watermark(Guest.at(second).toEpochMilli()));
    List<HostSharing> all = harness.extractOutputValues();
    return all.subList(before, all.size());
  }

  @Test
  void publishesTheHostsThatChangedAtTheEndOfTheirMinute() throws Exception {
    update(VmSketch.of("vm-a", "host-1", A), 10);
    update(VmSketch.of("vm-b", "host-1", B), 20);
    update(VmSketch.of("vm-c", "host-2", C), 30);
    assertThat(publishedUpTo(59)).isEmpty();
    assertThat(publishedUpTo(60))
        .extracting(HostSharing::getHostId, HostSharing::getVmIds, HostSharing::getTotalPages, HostSharing::getMergeablePages,
            HostSharing::getMergeableBytes, HostSharing::getComputedAt)
        .containsExactly(
            tuple("host-1", List.of("vm-a", "vm-b"), 3000L, 1500L, 1500L * Guest.PAGE_SIZE, Guest.at(60)),
            tuple("host-2", List.of("vm-c"), 1000L, 0L, 0L, Guest.at(60)));

    // vm-b moves to host-2, where it shares half its contents with vm-c.
    update(VmSketch.of("vm-b", "host-2", B), 70);
    assertThat(publishedUpTo(120))
        .extracting(HostSharing::getHostId, HostSharing::getVmIds, HostSharing::getMergeablePages)
        .containsExactly(tuple("host-1", List.of("vm-a"), 1000L), tuple("host-2", List.of("vm-b", "vm-c"), 500L));

    assertThat(publishedUpTo(600)).as("nothing changed").isEmpty();
  }

  @Test
  void aHostLeftWithoutVmsIsPublishedOnceWithNothingToGainThenForgotten() throws Exception {
    update(VmSketch.of("vm-a", "host-1", A), 10);
    publishedUpTo(60);
    update(VmSketch.gone("vm-a"), 70);
    assertThat(publishedUpTo(120)).singleElement().satisfies(host -> {
      assertThat(host.getVmIds()).isEmpty();
      assertThat(host.getTotalPages()).isZero();
      assertThat(host.getMergeablePages()).isZero();
    });
    assertThat(harness.numKeyedStateEntries()).isZero();
  }
}
