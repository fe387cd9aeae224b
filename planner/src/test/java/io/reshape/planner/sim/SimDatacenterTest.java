package io.reshape.planner.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reshape.planner.sim.PlanetLabTraces.VmTrace;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulated datacenter and its scoreboard on a day small enough to work out by hand: two VMs
 * (an extra-large of 2500 MIPS, 870 MB, and a large of 2000 MIPS, 1740 MB) on two hosts (a G4 and a
 * G5), three steps.
 */
class SimDatacenterTest {

  private static final double STEP = 300;

  private static PlanetLabDay day(int[] first, int[] second) {
    return new PlanetLabDay("tiny", List.of(new VmTrace("xl", trace(first)), new VmTrace("l", trace(second))));
  }

  private static int[] trace(int[] start) {
    int[] percent = new int[PlanetLabDay.STEPS];
    System.arraycopy(start, 0, percent, 0, start.length);
    return percent;
  }

  /** SPECpower, linear between the 10% points. */
  private static double watts(double[] table, double utilisation) {
    int below = (int) (utilisation * 10);
    return table[below] + (table[below + 1] - table[below]) * (utilisation * 10 - below);
  }

  private static final double[] G4 = {86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117};
  private static final double[] G5 = {93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135};

  @Test
  void creationPlacesBothVmsWhereTheirFullMipsFitWithTheLeastExtraPower() {
    SimDatacenter dc = SimDatacenter.start(day(new int[] {40}, new int[] {50}), 2);
    assertThat(dc.hostType(0)).isEqualTo(HostType.G4);
    assertThat(dc.hostType(1)).isEqualTo(HostType.G5);
    // Neither fits a G4's 1860-MIPS cores; both fit the G5's 5320 MIPS.
    assertThat(dc.hostOf(0)).isEqualTo(1);
    assertThat(dc.hostOf(1)).isEqualTo(1);
  }

  @Test
  void energySlatahPdmAndMigrationsAddUpAsWorkedOutByHand() {
    SimDatacenter dc = SimDatacenter.start(day(new int[] {40, 40, 100}, new int[] {50, 50, 100}), 2);
    Scoreboard board = new Scoreboard();

    // Step 0: both on the G5, 1000 + 1000 MIPS of 5320.
    dc.runStep(board);
    double joules = watts(G5, 2000 / 5320.0) * STEP;

    // Step 1: the large VM moves to the G4 from the step's start, for 1740 MB / 62.5 MB/s = 27.84 s,
    // running at 90% on the G5 while the G4 spends the other 10% receiving it.
    assertThat(dc.migrate(1, 0, 0)).isEmpty();
    dc.runStep(board);
    double copy = 1740 / 62.5;
    joules += copy * (watts(G5, (1000 + 900) / 5320.0) + watts(G4, 100 / 3720.0))
        + (STEP - copy) * (watts(G5, 1000 / 5320.0) + watts(G4, 1000 / 3720.0));

    // Step 2: both at 100%. The large VM wants 2000 MIPS, but a G4 core gives 1860: the G4 is overloaded.
    dc.runStep(board);
    joules += STEP * (watts(G5, 2500 / 5320.0) + watts(G4, 1860 / 3720.0));

    Scoreboard.Score score = board.score();
    assertThat(score.energyKwh()).isCloseTo(joules / 3.6e6, within(1e-12));
    assertThat(score.migrations()).isEqualTo(1);
    assertThat(score.activeHostSeconds()).isEqualTo(STEP + 2 * STEP + 2 * STEP);
    assertThat(score.slatah()).isCloseTo(STEP / (5 * STEP), within(1e-12));
    double requested = 2000 * STEP + 2000 * STEP + 4500 * STEP;
    assertThat(score.pdm()).isCloseTo(100 * copy / requested, within(1e-12));
    assertThat(score.slav()).isCloseTo(score.slatah() * score.pdm(), within(1e-18));
    assertThat(score.esv()).isCloseTo(score.energyKwh() * score.slav(), within(1e-18));
  }

  @Test
  void aMigrationStartsWhenItWasDecidedAndAHostWithNoVmDrawsNothing() {
    SimDatacenter dc = SimDatacenter.start(day(new int[] {0}, new int[] {30}), 2);
    Scoreboard board = new Scoreboard();
    assertThat(dc.migrate(1, 0, 100)).isEmpty();
    assertThat(dc.migrate(1, 0, 100)).hasValueSatisfying(why -> assertThat(why).contains("already"));
    dc.runStep(board);
    double copy = 1740 / 62.5;
    double joules = 100 * watts(G5, 600 / 5320.0)
        + copy * (watts(G5, 540 / 5320.0) + watts(G4, 60 / 3720.0))
        + (STEP - 100 - copy) * (watts(G5, 0) + watts(G4, 600 / 3720.0));
    assertThat(board.score().energyKwh()).isCloseTo(joules / 3.6e6, within(1e-12));
    assertThat(board.score().activeHostSeconds()).isCloseTo(STEP + STEP - 100, within(1e-9));
  }

  @Test
  void thePackingLimitIsEachStepsDemandOnG5sAtFullLoad() {
    PlanetLabDay day = day(new int[] {40, 100}, new int[] {50, 0});
    double mipsSteps = (1000 + 1000) + 2500;
    assertThat(day.packingLimitKwh()).isCloseTo(mipsSteps / 5320 * 135 * STEP / 3.6e6, within(1e-12));
    assertThat(day.meanRequestedMips()).isCloseTo(mipsSteps / PlanetLabDay.STEPS, within(1e-9));
    assertThat(Arrays.stream(HostType.values()).mapToInt(HostType::mips)).containsExactly(3720, 5320);
  }
}
