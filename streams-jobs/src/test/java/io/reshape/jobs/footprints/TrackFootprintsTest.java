package io.reshape.jobs.footprints;

import static io.reshape.jobs.footprints.Samples.millis;
import static io.reshape.jobs.footprints.Samples.signal;
import static io.reshape.jobs.footprints.VmSignal.Kind.CPU;
import static io.reshape.jobs.footprints.VmSignal.Kind.RECEIVED_FROM_VM;
import static io.reshape.jobs.footprints.VmSignal.Kind.SENT_TO_VM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;

import io.reshape.events.Affinity;
import io.reshape.events.Footprint;
import io.reshape.events.PeerTraffic;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrackFootprintsTest {

  private static final FootprintSettings SETTINGS = FootprintSettings.defaults()
      .withHalfLife(Duration.ofSeconds(10))
      .withEmissionInterval(Duration.ofSeconds(10))
      .withAffinityBytesPerSecond(1000);

  private KeyedBroadcastOperatorTestHarness<String, VmSignal, VmAddresses, Footprint> harness;

  @BeforeEach
  void open() throws Exception {
    harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
        new TrackFootprints(SETTINGS), signal -> signal.vmId, Types.STRING, ResolveEndpoints.FLEET);
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void add(VmSignal signal) throws Exception {
    harness.processElement(signal, signal.endMicros / 1000);
  }

  /** {@code vm} ran {@code cores} over each second of [from, to). */
  private void cpu(String vm, int from, int to, double cores) throws Exception {
    for (int s = from; s < to; s++) {
      add(signal(CPU, vm, null, s, s + 1, cores * 1e9));
    }
  }

  /** vm-a and vm-b send each other {@code bytes} in each second of [from, to). */
  private void talk(int from, int to, double bytes) throws Exception {
    for (int s = from; s < to; s++) {
      add(signal(SENT_TO_VM, "vm-a", "vm-b", s, s + 1, bytes));
      add(signal(RECEIVED_FROM_VM, "vm-b", "vm-a", s, s + 1, bytes));
      add(signal(SENT_TO_VM, "vm-b", "vm-a", s, s + 1, bytes));
      add(signal(RECEIVED_FROM_VM, "vm-a", "vm-b", s, s + 1, bytes));
    }
  }

  private void watermark(double second) throws Exception {
    harness.watermark(millis(second));
  }

  private int keyedStateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
  }

  private List<Footprint> footprints() {
    return harness.extractOutputValues();
  }

  private List<Affinity> affinities() {
    return harness.getSideOutput(TrackFootprints.AFFINITIES).stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void publishesEachVmsFootprintAtEveryEmissionOnceTheWatermarkPassesIt() throws Exception {
    cpu("vm-a", 0, 10, 0.5);
    cpu("vm-b", 5, 10, 2);
    watermark(9.999);
    assertThat(footprints()).isEmpty();

    watermark(10);
    assertThat(footprints()).extracting(Footprint::getVmId, f -> f.getComputedAt().getEpochSecond() - Samples.T0.getEpochSecond())
        .containsExactlyInAnyOrder(tuple("vm-a", 10L), tuple("vm-b", 10L));
    assertThat(footprints()).filteredOn(f -> f.getVmId().equals("vm-a")).singleElement()
        .satisfies(f -> assertThat(f.getCpuDemandCores()).isCloseTo(0.5, within(1e-9)));

    cpu("vm-a", 10, 20, 0.5);
    watermark(20);
    assertThat(footprints()).hasSize(4);
  }

  @Test
  void aFootprintHoldsExactlyTheSignalsThatEndedByItsTime() throws Exception {
    cpu("vm-a", 9, 10, 0.5);
    cpu("vm-a", 10, 11, 1); // ends after the emission at 10 but arrives before the watermark passes it
    watermark(10);
    cpu("vm-a", 11, 20, 1);
    watermark(20);
    assertThat(footprints()).extracting(Footprint::getCpuDemandCores)
        .satisfiesExactly(
            at10 -> assertThat(at10).isCloseTo(0.5, within(1e-9)),
            at20 -> assertThat(at20).isGreaterThan(0.9));
  }

  @Test
  void thePairIsPublishedByTheVmThatSortsFirstAndWithdrawnWhenItFades() throws Exception {
    talk(0, 10, 600);
    watermark(10);
    assertThat(affinities()).singleElement().satisfies(affinity -> {
      assertThat(affinity.getVmA() + "|" + affinity.getVmB()).isEqualTo("vm-a|vm-b");
      assertThat(affinity.getBytesPerSecond()).isCloseTo(1200, within(1e-6));
    });
    assertThat(footprints()).filteredOn(f -> f.getVmId().equals("vm-b")).singleElement()
        .satisfies(f -> assertThat(f.getPeers()).extracting(PeerTraffic::getPeer).containsExactly("vm-a"));

    cpu("vm-a", 10, 20, 0.1);
    watermark(20);
    assertThat(affinities()).extracting(Affinity::getBytesPerSecond).satisfiesExactly(
        published -> assertThat(published).isCloseTo(1200, within(1e-6)),
        withdrawn -> assertThat(withdrawn).isZero());
  }

  @Test
  void aVmThatLeavesTheInventoryIsForgottenEverywhere() throws Exception {
    talk(0, 10, 600);
    watermark(10);
    harness.processBroadcastElement(VmAddresses.present("vm-b", "host-1", List.of("10.0.0.2")), millis(11));
    harness.processBroadcastElement(VmAddresses.gone("vm-b"), millis(11));
    assertThat(affinities()).extracting(a -> Math.round(a.getBytesPerSecond()), Affinity::getComputedAt)
        .containsExactly(tuple(1200L, Samples.T0.plusSeconds(10)), tuple(0L, Samples.T0.plusSeconds(11)));

    harness.getOutput().clear();
    cpu("vm-a", 10, 20, 0.1);
    watermark(20);
    assertThat(footprints()).singleElement().satisfies(f -> {
      assertThat(f.getVmId()).isEqualTo("vm-a");
      assertThat(f.getPeers()).isEmpty();
    });
    assertThat(keyedStateEntries()).isEqualTo(1);
  }

  @Test
  void aSilentVmIsForgottenAndAJumpInEventTimeEmitsOnce() throws Exception {
    cpu("vm-a", 0, 10, 0.5);
    watermark(10);
    watermark(1000);
    watermark(1010);
    assertThat(footprints()).extracting(f -> f.getComputedAt().getEpochSecond() - Samples.T0.getEpochSecond())
        .containsExactly(10L, 20L, 1010L);
    assertThat(keyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  @Test
  void aDepartedVmsEarlySignalsGoWithIt() throws Exception {
    cpu("vm-a", 9, 10, 0.5);
    cpu("vm-a", 10, 11, 1);
    harness.processBroadcastElement(VmAddresses.gone("vm-a"), millis(10.5));
    assertThat(keyedStateEntries()).isZero();
    watermark(100);
    assertThat(footprints()).isEmpty();
  }
}
