package io.reshape.jobs.footprints;

import static io.reshape.jobs.footprints.Samples.at;
import static io.reshape.jobs.footprints.Samples.signal;
import static io.reshape.jobs.footprints.Samples.window;
import static io.reshape.jobs.footprints.Samples.writtenSet;
import static io.reshape.jobs.footprints.VmSignal.Kind.CPU;
import static io.reshape.jobs.footprints.VmSignal.Kind.RECEIVED_FROM_VM;
import static io.reshape.jobs.footprints.VmSignal.Kind.SENT_IN_TOTAL;
import static io.reshape.jobs.footprints.VmSignal.Kind.SENT_TO_ENDPOINT;
import static io.reshape.jobs.footprints.VmSignal.Kind.SENT_TO_VM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.reshape.events.Footprint;
import io.reshape.events.PeerTraffic;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class FootprintAccumulatorTest {

  private static final Offset<Double> CLOSE = within(1e-6);
  private static final int HALF_LIFE_SECONDS = 60;

  private final FootprintAccumulator accumulator = new FootprintAccumulator(new HalfLife(Duration.ofSeconds(HALF_LIFE_SECONDS)), 2);
  private final FootprintState state = new FootprintState();

  /** {@code perSecond} of {@code kind} for every second of [from, to). */
  private void steady(VmSignal.Kind kind, String peer, int from, int to, double perSecond) {
    for (int s = from; s < to; s++) {
      accumulator.add(state, signal(kind, "vm-a", peer, s, s + 1, perSecond));
    }
  }

  private Footprint footprint(double second) {
    return accumulator.footprint("vm-a", state, at(second), 10);
  }

  @Test
  void aPeerHoldsBothDirections() {
    steady(SENT_TO_VM, "vm-b", 0, 10, 1000);
    steady(RECEIVED_FROM_VM, "vm-b", 0, 10, 500);
    assertThat(footprint(10).getPeers()).singleElement().satisfies(peer -> {
      assertThat(peer.getPeer()).isEqualTo("vm-b");
      assertThat(peer.getBytesPerSecond()).isCloseTo(1500, CLOSE);
    });
  }

  @Test
  void externalTrafficIsWhatTheNicsSentBeyondTheVms() {
    steady(SENT_IN_TOTAL, null, 0, 10, 10_000);
    steady(SENT_TO_VM, "vm-b", 0, 10, 6000);
    steady(SENT_TO_ENDPOINT, "203.0.113.9", 0, 10, 1000);
    steady(RECEIVED_FROM_VM, "vm-b", 0, 10, 50_000);
    assertThat(footprint(10).getExternalBytesPerSecond()).isCloseTo(4000, CLOSE);
  }

  @Test
  void withoutNicCountsExternalTrafficIsWhatFlowsToEndpointsCounted() {
    steady(SENT_TO_VM, "vm-b", 0, 10, 6000);
    steady(SENT_TO_ENDPOINT, "203.0.113.9", 0, 10, 1000);
    assertThat(footprint(10).getExternalBytesPerSecond()).isCloseTo(1000, CLOSE);
  }

  @Test
  void externalTrafficIsNeverNegative() {
    steady(SENT_IN_TOTAL, null, 0, 10, 500);
    steady(SENT_TO_VM, "vm-b", 0, 10, 6000);
    assertThat(footprint(10).getExternalBytesPerSecond()).isZero();
  }

  @Test
  void cpuDemandAddsTheVcpus() {
    for (int s = 0; s < 10; s++) {
      accumulator.add(state, signal(CPU, "vm-a", null, s, s + 1, 0.5e9));
      accumulator.add(state, signal(CPU, "vm-a", null, s, s + 1, 0.25e9));
    }
    assertThat(footprint(10).getCpuDemandCores()).isCloseTo(0.75, CLOSE);
  }

  @Test
  void theWrittenSetIsTheNewestAndTheDirtyRateIsAveraged() {
    for (int s = 1; s <= 10; s++) {
      accumulator.add(state, VmSignal.writes(writtenSet("vm-a", s, 200, window(5, 100L * s, true))));
    }
    accumulator.add(state, VmSignal.writes(writtenSet("vm-a", 4, 9999, window(5, 7, true))));
    Footprint footprint = footprint(10);
    assertThat(footprint.getWrittenSetPages()).isEqualTo(1000);
    assertThat(footprint.getDirtyPagesPerSecond()).isCloseTo(200, CLOSE);
  }

  @Test
  void aPeerThatStopsTalkingFadesAndIsDropped() {
    steady(SENT_TO_VM, "vm-b", 0, 60, 1000);
    steady(SENT_TO_VM, "vm-c", 0, 60, 1000);
    steady(SENT_TO_VM, "vm-b", 60, 120, 1000);
    // vm-c said nothing for a half-life: half of what it was, against a steady vm-b.
    assertThat(footprint(120).getPeers()).extracting(PeerTraffic::getPeer).containsExactly("vm-b", "vm-c");
    double c = accumulator.bytesPerSecond(state, state.peers.get("vm-c"), at(120));
    double b = accumulator.bytesPerSecond(state, state.peers.get("vm-b"), at(120));
    assertThat(c / b).isCloseTo(0.5 * (1 - Math.pow(2, -1)) / (1 - Math.pow(2, -2)), within(1e-3));

    steady(SENT_TO_VM, "vm-b", 120, 60 * 12, 1000);
    accumulator.trim(state, at(60 * 12));
    assertThat(state.peers).containsOnlyKeys("vm-b");
  }

  @Test
  void newPeersBeyondTwiceTheBoundCountOnlyInTheTotalsUntilTrimmed() {
    steady(SENT_TO_ENDPOINT, "10.0.0.1", 0, 1, 4000);
    steady(SENT_TO_ENDPOINT, "10.0.0.2", 0, 1, 3000);
    steady(SENT_TO_ENDPOINT, "10.0.0.3", 0, 1, 2000);
    steady(SENT_TO_ENDPOINT, "10.0.0.4", 0, 1, 1000);
    steady(SENT_TO_ENDPOINT, "10.0.0.5", 0, 1, 5000);
    assertThat(state.peers).hasSize(4).doesNotContainKey("10.0.0.5");
    assertThat(footprint(1).getExternalBytesPerSecond()).isCloseTo(15_000, CLOSE);

    accumulator.trim(state, at(1));
    assertThat(state.peers).containsOnlyKeys("10.0.0.1", "10.0.0.2");
  }

  @Test
  void aPeerWithAPublishedAffinityIsNeverDropped() {
    steady(SENT_TO_VM, "vm-b", 0, 1, 10);
    steady(SENT_TO_VM, "vm-c", 0, 1, 1_000_000);
    steady(SENT_TO_VM, "vm-d", 0, 1, 1_000_000);
    state.peers.get("vm-b").affinityPublished = true;
    accumulator.trim(state, at(1));
    assertThat(state.peers).containsKeys("vm-b");
  }

  @Test
  void listsTheLargestPeersFirstAndBreaksTiesByName() {
    FootprintAccumulator roomy = new FootprintAccumulator(new HalfLife(Duration.ofSeconds(HALF_LIFE_SECONDS)), 8);
    for (String peer : new String[] {"vm-d", "vm-c", "vm-b", "vm-e"}) {
      roomy.add(state, signal(SENT_TO_VM, "vm-a", peer, 0, 1, peer.equals("vm-e") ? 5000 : 1000));
    }
    assertThat(roomy.footprint("vm-a", state, at(1), 3).getPeers())
        .extracting(PeerTraffic::getPeer).containsExactly("vm-e", "vm-b", "vm-c");
  }

  @Test
  void describesTheVmOnTheHostOfItsNewestSignal() {
    VmSignal moved = signal(CPU, "vm-a", null, 5, 6, 1e8);
    moved.hostId = "host-2";
    accumulator.add(state, moved);
    accumulator.add(state, signal(CPU, "vm-a", null, 4, 5, 1e8));
    Footprint footprint = footprint(6);
    assertThat(footprint.getVmId()).isEqualTo("vm-a");
    assertThat(footprint.getHostId()).isEqualTo("host-2");
    assertThat(footprint.getComputedAt()).isEqualTo(Samples.T0.plusSeconds(6));
    assertThat(footprint.getHalfLifeSeconds()).isEqualTo(HALF_LIFE_SECONDS);
  }

  @Test
  void aCounterResetIsRefusedAndChangesNothing() {
    steady(SENT_TO_VM, "vm-b", 0, 5, 1000);
    assertThatThrownBy(() -> accumulator.add(state, signal(SENT_TO_VM, "vm-a", "vm-b", 5, 6, -4e9)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> accumulator.add(state, signal(CPU, "vm-a", null, 6, 5, 1e8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(state.traffic.untilMicros).isEqualTo(at(5));
    assertThat(state.cpu.seen).isFalse();
    assertThat(footprint(5).getPeers().get(0).getBytesPerSecond()).isCloseTo(1000, CLOSE);
  }

  @Test
  void aVmSilentForTenHalfLivesIsForgotten() {
    steady(CPU, null, 0, 1, 1e8);
    assertThat(accumulator.forgotten(state, at(1 + 10 * HALF_LIFE_SECONDS))).isFalse();
    assertThat(accumulator.forgotten(state, at(2 + 10 * HALF_LIFE_SECONDS))).isTrue();
  }
}
