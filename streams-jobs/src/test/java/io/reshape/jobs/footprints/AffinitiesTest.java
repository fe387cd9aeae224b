package io.reshape.jobs.footprints;

import static io.reshape.jobs.footprints.Samples.at;
import static io.reshape.jobs.footprints.Samples.signal;
import static io.reshape.jobs.footprints.VmSignal.Kind.RECEIVED_FROM_VM;
import static io.reshape.jobs.footprints.VmSignal.Kind.SENT_TO_ENDPOINT;
import static io.reshape.jobs.footprints.VmSignal.Kind.SENT_TO_VM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reshape.events.Affinity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AffinitiesTest {

  private final FootprintAccumulator accumulator = new FootprintAccumulator(new HalfLife(Duration.ofSeconds(10)), 8);
  private final Affinities affinities = new Affinities(accumulator, 1000);
  private final FootprintState a = new FootprintState();
  private final FootprintState b = new FootprintState();

  /** vm-a sends vm-b {@code aToB} and receives {@code bToA} per second over [from, to). */
  private void talk(int from, int to, double aToB, double bToA) {
    for (int s = from; s < to; s++) {
      accumulator.add(a, signal(SENT_TO_VM, "vm-a", "vm-b", s, s + 1, aToB));
      accumulator.add(a, signal(RECEIVED_FROM_VM, "vm-a", "vm-b", s, s + 1, bToA));
      accumulator.add(b, signal(SENT_TO_VM, "vm-b", "vm-a", s, s + 1, bToA));
      accumulator.add(b, signal(RECEIVED_FROM_VM, "vm-b", "vm-a", s, s + 1, aToB));
    }
  }

  @Test
  void thePairIsPublishedByTheVmThatSortsFirstWithBothDirectionsAdded() {
    talk(0, 10, 600, 500);
    assertThat(affinities.atEmission("vm-b", b, at(10))).isEmpty();
    assertThat(affinities.atEmission("vm-a", a, at(10))).singleElement().satisfies(affinity -> {
      assertThat(affinity.getVmA()).isEqualTo("vm-a");
      assertThat(affinity.getVmB()).isEqualTo("vm-b");
      assertThat(affinity.getBytesPerSecond()).isCloseTo(1100, within(1e-6));
      assertThat(affinity.getHalfLifeSeconds()).isEqualTo(10);
      assertThat(affinity.getComputedAt()).isEqualTo(Samples.T0.plusSeconds(10));
    });
  }

  @Test
  void isRepublishedAtEveryEmissionAboveTheThresholdAndWithdrawnOnceBelow() {
    talk(0, 10, 600, 500);
    assertThat(affinities.atEmission("vm-a", a, at(10))).hasSize(1);
    talk(10, 20, 600, 500);
    assertThat(affinities.atEmission("vm-a", a, at(20))).hasSize(1);
    // Silent for a half-life: about half of 1100 is below 1000.
    assertThat(affinities.atEmission("vm-a", a, at(30))).singleElement()
        .extracting(Affinity::getBytesPerSecond).isEqualTo(0.0);
    assertThat(affinities.atEmission("vm-a", a, at(31))).isEmpty();
  }

  @Test
  void aPairBelowTheThresholdIsNeverPublished() {
    talk(0, 10, 400, 500);
    assertThat(affinities.atEmission("vm-a", a, at(10))).isEmpty();
  }

  @Test
  void endpointsAreNeverAffinities() {
    for (int s = 0; s < 10; s++) {
      accumulator.add(a, signal(SENT_TO_ENDPOINT, "vm-a", "vm-z", s, s + 1, 1e6));
    }
    assertThat(affinities.atEmission("vm-a", a, at(10))).isEmpty();
  }

  @Test
  void aVmThatGoesWithdrawsWhatItPublished() {
    talk(0, 10, 600, 500);
    affinities.atEmission("vm-a", a, at(10));
    assertThat(affinities.withdrawAll("vm-a", a, at(12))).singleElement()
        .satisfies(w -> assertThat(w.getBytesPerSecond()).isZero());
    assertThat(affinities.withdrawAll("vm-a", a, at(13))).isEmpty();
  }

  @Test
  void aPeerThatGoesIsForgottenAndItsPairWithdrawn() {
    talk(0, 10, 600, 500);
    affinities.atEmission("vm-a", a, at(10));
    assertThat(affinities.forgetPeer("vm-a", a, "vm-b", at(12))).singleElement()
        .satisfies(w -> assertThat(w.getVmB()).isEqualTo("vm-b"));
    assertThat(a.peers).isEmpty();
    assertThat(affinities.forgetPeer("vm-b", b, "vm-a", at(12))).isEmpty();
    assertThat(b.peers).isEmpty();
  }
}
