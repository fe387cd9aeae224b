package io.reshape.planner;

import static io.reshape.planner.Fleet.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.Action;
import io.reshape.events.Decision;
import io.reshape.schemas.Micros;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner's decisions for small cells built by hand. */
class PlannerTest {

  private final PlannerSettings settings = PlannerSettings.defaults();
  private final Fleet fleet = new Fleet();

  @Test
  void nothingToDoIsAnAnswerWithItsReasons() {
    fleet.host("h1");
    fleet.host("h2");
    fleet.vm("a", "h1", 1600);
    fleet.vm("b", "h2", 2800);
    Planner.Result result = fleet.plan(settings);
    assertThat(result.decisions()).isEmpty();
    assertThat(result.plan().getSummary()).startsWith("No beneficial move");
    assertThat(result.plan().getActiveHosts()).isEqualTo(2);
    assertThat(result.plan().getNotChosen()).isNotEmpty().allSatisfy(n -> assertThat(n.getReason()).isNotBlank());
  }

  @Test
  void anOverloadedHostHandsTheSmallestVmThatBringsItBackToTheFullestHostThatTakesIt() {
    fleet.host("busy");
    fleet.host("half");
    fleet.host("quarter");
    fleet.vm("big", "busy", 2500);
    fleet.vm("mid", "busy", 1200);
    fleet.vm("small", "busy", 600);
    fleet.vm("x", "half", 2000);
    fleet.vm("y", "quarter", 1000);
    Planner.Result result = fleet.plan(settings);
    Decision move = Fleet.migrations(result).get(0);
    assertThat(move.getVmId()).as("600 MIPS take the 300 over 4000 away on their own").isEqualTo("small");
    assertThat(move.getDestinationHostId()).as("best fit: the fuller host that stays under 90%").isEqualTo("half");
    assertThat(move.getReason()).contains("busy").contains("108%");
    assertThat(move.getDeadline()).isEqualTo(NOW.plus(settings.decisionLifetime()));
    assertThat(result.plan().getDecisionIds()).contains(move.getDecisionId());
  }

  @Test
  void anUnderloadedHostIsEmptiedWhenItsVmsFitElsewhereAndFreeingItPays() {
    fleet.host("h1");
    fleet.host("h2");
    fleet.host("h3");
    fleet.vm("a", "h1", 300);
    fleet.vm("b", "h1", 200);
    fleet.vm("c", "h2", 2500);
    fleet.vm("d", "h3", 2400);
    Planner.Result result = fleet.plan(settings);
    assertThat(Fleet.migrations(result)).extracting(Decision::getVmId).containsExactlyInAnyOrder("a", "b");
    assertThat(Fleet.migrations(result)).allSatisfy(d -> assertThat(d.getDestinationHostId()).isIn("h2", "h3"));
    assertThat(Fleet.migrations(result)).anySatisfy(d -> assertThat(d.getExpectedBenefit().getHostsFreed()).isEqualTo(1));
    assertThat(result.plan().getActiveHosts()).isEqualTo(2);
  }

  @Test
  void ofTwoHostsThatCouldBeFreedTheLessEfficientGoes() {
    fleet.host("hungry").powerWatts = PowerModel.linear(150, 300).table();
    fleet.host("frugal");
    fleet.vm("x", "hungry", 1000);
    fleet.vm("y", "frugal", 800);
    Planner.Result result = fleet.plan(settings);
    assertThat(Fleet.migrations(result)).as("the host that draws more for the same work is freed, though it is the busier")
        .extracting(d -> d.getVmId() + "->" + d.getDestinationHostId()).containsExactly("x->frugal");
  }

  @Test
  void aHostIsPoweredOnForTheMipsItGivesPerWattNotForItsIdleDraw() {
    fleet.host("busy");
    fleet.vm("hot", "busy", 3000);
    fleet.vm("spike", "busy", 1400);
    HostRecord small = fleet.host("small");
    small.powerWatts = PowerModel.linear(90, 120).table();
    small.cores = 2;
    HostRecord large = fleet.host("large");
    large.powerWatts = PowerModel.linear(110, 150).table();
    large.cores = 8;
    Planner.Result result = fleet.plan(settings.toBuilder().underloadShare(0.5).build());
    assertThat(Fleet.migrations(result)).as("the larger host draws more idle but less per MIPS once filled")
        .extracting(d -> d.getVmId() + "->" + d.getDestinationHostId()).containsExactly("spike->large");
  }

  @Test
  void aPinnedVmKeepsItsHostFromBeingEmptied() {
    fleet.host("h1");
    fleet.host("h2");
    fleet.vm("a", "h1", 300).pinned = true;
    fleet.vm("c", "h2", 3400);
    Planner.Result result = fleet.plan(settings);
    assertThat(result.decisions()).isEmpty();
    assertThat(result.plan().getNotChosen()).anySatisfy(n -> assertThat(n.getReason()).contains("pinned"));
  }

  @Test
  void aVmMovedWithinTheCooldownStaysWhereItIs() {
    fleet.host("h1");
    fleet.host("h2");
    fleet.vm("a", "h1", 300).lastActedMicros = Micros.of(NOW.minus(Duration.ofMinutes(2)));
    fleet.vm("c", "h2", 3400);
    Planner.Result result = fleet.plan(settings);
    assertThat(result.decisions()).isEmpty();
    assertThat(result.plan().getNotChosen()).anySatisfy(n -> assertThat(n.getReason()).contains("cool-down"));
  }

  @Test
  void aVmWithADecisionUnderWayIsNotDecidedAgain() {
    fleet.host("h1");
    fleet.host("h2");
    VmRecord a = fleet.vm("a", "h1", 300);
    a.pendingDecisionId = "earlier";
    a.pendingAction = "PAGE_OUT";
    a.pendingDeadlineMicros = Micros.of(NOW.plusSeconds(60));
    fleet.vm("c", "h2", 3400);
    assertThat(fleet.plan(settings).decisions()).isEmpty();
  }

  @Test
  void aDecisionPastItsDeadlineWithoutAnOutcomeNoLongerHoldsTheVm() {
    fleet.host("h1");
    fleet.host("h2");
    VmRecord a = fleet.vm("a", "h1", 300);
    a.pendingDecisionId = "earlier";
    a.pendingAction = "SWAP_IN";
    a.pendingDeadlineMicros = Micros.of(NOW.minusSeconds(1));
    fleet.vm("c", "h2", 2500);
    Planner.Result result = fleet.plan(settings);
    assertThat(Fleet.migrations(result)).extracting(Decision::getVmId).containsExactly("a");
  }

  @Test
  void theCapOnMigrationsPerHostHoldsAsHostsEmptyIntoOne() {
    fleet.host("target");
    fleet.vm("t", "target", 1000);
    for (int i = 1; i <= 4; i++) {
      fleet.host("h" + i);
      fleet.vm("v" + i, "h" + i, 200);
    }
    Planner.Result result = fleet.plan(settings.toBuilder().overloadShare(1.0).targetShare(0.9).underloadShare(0.5).build());
    assertThat(Fleet.migrations(result)).extracting(d -> d.getVmId() + "->" + d.getDestinationHostId())
        .as("the best host takes two, its cap; the next VM goes to the next best")
        .containsExactly("v1->target", "v2->target", "v3->h4");
  }

  @Test
  void aHostWhoseVmsAreNotMeasuredYetIsLeftAsItIs() {
    fleet.host("h1");
    fleet.host("h2");
    fleet.vm("a", "h1", 300).cpuAtMicros = 0;
    fleet.vm("c", "h2", 2500);
    assertThat(fleet.plan(settings).decisions()).isEmpty();
  }

  @Test
  void aVmGoesBackWhereItsImageStillIsWhenThatIsCheapest() {
    fleet.host("h1");
    fleet.host("home");
    fleet.host("other");
    VmRecord a = fleet.vm("a", "h1", 300);
    a.previousHostId = "home";
    a.reuseHosts = new String[] {"home", "other"};
    a.reuseBytes = new long[] {Fleet.GIB / 16, 2 * Fleet.GIB};
    fleet.vm("x", "home", 2000);
    fleet.vm("y", "other", 2000);
    Decision move = Fleet.migrations(fleet.plan(settings)).get(0);
    assertThat(move.getDestinationHostId()).isEqualTo("home");
    assertThat(move.getParameters()).containsEntry("bytesToSend", Long.toString(Fleet.GIB / 16))
        .containsEntry("reusedBytes", Long.toString(2 * Fleet.GIB - Fleet.GIB / 16));
    assertThat(move.getExpectedCost().getTransferBytes()).isEqualTo(Fleet.GIB / 16);
  }

  @Test
  void aSiblingOnTheSamePhysicalMachineTakesAVmWithoutACopy() {
    fleet.host("h1").physicalMachineId = "pm-1";
    fleet.host("sibling").physicalMachineId = "pm-1";
    fleet.host("elsewhere").physicalMachineId = "pm-2";
    fleet.vm("a", "h1", 300);
    fleet.vm("x", "sibling", 2000);
    fleet.vm("y", "elsewhere", 2000);
    Decision move = Fleet.migrations(fleet.plan(settings)).get(0);
    assertThat(move.getDestinationHostId()).isEqualTo("sibling");
    assertThat(move.getParameters()).containsEntry("bytesToSend", "0").containsKey("zeroCopy");
  }

  @Test
  void aCheaperHostWinsWhenAllElseIsEqual() {
    fleet.host("h1");
    fleet.host("dear").pricePerHour = 2.0;
    fleet.host("cheap").pricePerHour = 0.5;
    fleet.vm("big", "h1", 3800);
    fleet.vm("more", "h1", 600);
    Decision move = Fleet.migrations(fleet.plan(settings)).get(0);
    assertThat(move.getDestinationHostId()).as("both off; the cheaper is powered on").isEqualTo("cheap");
  }

  @Test
  void vmsThatTalkALotArePlacedTogether() {
    fleet.host("h1");
    fleet.host("h2");
    fleet.vm("web", "h1", 1500);
    fleet.vm("db", "h2", 1500);
    fleet.vm("other", "h2", 1200);
    fleet.pair("db", "web", 5e6, 0);
    Decision move = Fleet.migrations(fleet.plan(settings)).get(0);
    assertThat(List.of(move.getVmId(), move.getDestinationHostId())).isIn(List.of("web", "h2"), List.of("db", "h1"));
    assertThat(move.getExpectedBenefit().getLocalTrafficBytesPerSecond()).isEqualTo(5e6);
  }

  @Test
  void twoVmsHeavyOnTheSameResourceNeverShareAHost() {
    fleet.host("h1");
    fleet.host("h2");
    fleet.vm("a", "h1", 300).externalBytesPerSecond = 1e9;
    fleet.vm("b", "h2", 2000).externalBytesPerSecond = 1e9;
    Planner.Result result = fleet.plan(settings);
    assertThat(result.decisions()).isEmpty();
    assertThat(result.plan().getNotChosen()).anySatisfy(n -> assertThat(n.getReason()).contains("no running host can take a"));
  }

  @Test
  void ksmIsTurnedOnWhereTheVmsShareEnoughPagesAndOffWhereTheyNoLongerDo() {
    fleet.host("sharing").mergeableBytes = 512L << 20;
    HostRecord off = fleet.host("little");
    off.mergeableBytes = 1L << 20;
    off.ksmEnabled = true;
    fleet.vm("a", "sharing", 2000);
    fleet.vm("b", "little", 2000);
    Planner.Result result = fleet.plan(settings);
    assertThat(result.decisions()).extracting(Decision::getAction, Decision::getHostId)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Action.ENABLE_KSM, "sharing"),
            org.assertj.core.groups.Tuple.tuple(Action.DISABLE_KSM, "little"));
    assertThat(fleet.plan(settings).decisions()).as("not asked again").isEmpty();
  }
}
