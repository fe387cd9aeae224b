package io.reshape.planner;

import static io.reshape.planner.Fleet.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.Action;
import io.reshape.events.Decision;
import io.reshape.schemas.Micros;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Paging out idle VMs and bringing them back before they wake. */
class PagingTest {

  private final PlannerSettings settings = PlannerSettings.defaults();
  private final Fleet fleet = new Fleet();

  private VmRecord idleVm(Duration idleFor, Duration predictedRemaining, double confidence) {
    fleet.host("h1");
    VmRecord vm = fleet.vm("sleepy", "h1", 10);
    vm.idleState = "IDLE";
    vm.idleSinceMicros = Micros.of(NOW.minus(idleFor));
    vm.predictedWakeMicros = predictedRemaining == null ? 0 : Micros.of(NOW.plus(predictedRemaining));
    vm.idleConfidence = confidence;
    vm.writtenSetBytes = 64L << 20;
    return vm;
  }

  @Test
  void aVmPredictedIdleLongEnoughIsPagedOutKeepingItsWrittenSet() {
    idleVm(Duration.ofMinutes(5), Duration.ofHours(2), 0.8);
    Decision d = fleet.plan(settings).decisions().get(0);
    assertThat(d.getAction()).isEqualTo(Action.PAGE_OUT);
    assertThat(d.getParameters()).containsEntry("residentBytes", Long.toString(64L << 20));
    assertThat(d.getExpectedBenefit().getMemoryBytes()).isEqualTo(2 * Fleet.GIB - (64L << 20));
    assertThat(d.getReason()).contains("predicted to stay idle until").contains("confidence 0.8");
  }

  @Test
  void aShortOrDoubtfulIdlePeriodIsLeftAlone() {
    idleVm(Duration.ofMinutes(1), Duration.ofMinutes(3), 0.9);
    Planner.Result shortOne = fleet.plan(settings);
    assertThat(shortOne.decisions()).isEmpty();
    assertThat(shortOne.plan().getNotChosen()).anySatisfy(n -> assertThat(n.getReason()).contains("pay for a page-out"));

    fleet.vms.get(0).predictedWakeMicros = Micros.of(NOW.plus(Duration.ofHours(2)));
    fleet.vms.get(0).idleConfidence = 0.2;
    assertThat(fleet.plan(settings).decisions()).isEmpty();
  }

  @Test
  void withoutAPredictionAVmIdleLongEnoughIsExpectedToStayIdleAsLongAgain() {
    idleVm(Duration.ofMinutes(30), null, 0);
    Decision d = fleet.plan(settings).decisions().get(0);
    assertThat(d.getAction()).isEqualTo(Action.PAGE_OUT);
    assertThat(d.getReason()).contains("as long again");
  }

  @Test
  void aPagedOutVmIsSwappedInAheadOfItsPredictedWakeUpByTheLeadTime() {
    VmRecord vm = idleVm(Duration.ofHours(1), Duration.ofMinutes(10), 0.8);
    vm.pagedOut = true;
    vm.residentBytes = 64L << 20;
    assertThat(fleet.plan(settings).decisions()).as("ten minutes early: not yet").isEmpty();

    // Lead 30 s (nothing measured yet) and a 30 s cycle: a wake-up 50 s away is due now, or the next cycle is too late.
    vm.predictedWakeMicros = Micros.of(NOW.plusSeconds(50));
    Decision d = fleet.plan(settings).decisions().get(0);
    assertThat(d.getAction()).isEqualTo(Action.SWAP_IN);
    assertThat(d.getReason()).contains("30 s ahead");
  }

  @Test
  void aPredictionOutlivedBringsNothingBackUntilTheVmWakes() {
    VmRecord vm = idleVm(Duration.ofHours(1), Duration.ofMinutes(-5), 0.8);
    vm.pagedOut = true;
    assertThat(fleet.plan(settings).decisions()).isEmpty();
  }

  @Test
  void theLeadTimeIsLearntFromMeasuredSwapIns() {
    VmRecord vm = idleVm(Duration.ofHours(1), Duration.ofSeconds(100), 0.8);
    vm.pagedOut = true;
    assertThat(fleet.plan(settings).decisions()).isEmpty();
    fleet.memory.swapInTook(40_000);
    fleet.memory.swapInTook(40_000);
    Decision d = fleet.plan(settings).decisions().get(0);
    assertThat(d.getReason()).as("twice the measured 40 s, and a cycle").contains("80 s ahead");
  }

  @Test
  void aVmThatWokeWhilePagedOutIsSwappedInAtOnce() {
    VmRecord vm = idleVm(Duration.ofHours(1), Duration.ofHours(1), 0.8);
    vm.pagedOut = true;
    vm.idleState = "ACTIVE";
    Decision d = fleet.plan(settings).decisions().get(0);
    assertThat(d.getAction()).isEqualTo(Action.SWAP_IN);
    assertThat(d.getReason()).contains("Active again");
  }

  @Test
  void aVmThatWokeWhereThereIsNoRoomMovesAndIsSwappedInWhereItGoes() {
    PlannerSettings enforced = settings.toBuilder().enforceMemory(true).build();
    VmRecord vm = idleVm(Duration.ofHours(1), Duration.ofHours(1), 0.8);
    vm.pagedOut = true;
    vm.residentBytes = 64L << 20;
    vm.idleState = "ACTIVE";
    for (int i = 0; i < 8; i++) {
      fleet.vm("busy" + i, "h1", 100);
    }
    fleet.host("h2");
    fleet.vm("other", "h2", 100);

    Planner.Result result = fleet.plan(enforced);

    assertThat(result.decisions()).as("its host's 16 GiB hold the others' 16 and not its 2 more: it moves, it is not swapped in there")
        .extracting(d -> d.getAction() + " " + d.getVmId() + " " + d.getDestinationHostId()).containsExactly("MIGRATE sleepy h2");

    VmRecord moved = fleet.vms.get(0);
    moved.hostId = "h2";
    moved.cpuHostId = "h2";
    moved.lastActedMicros = Micros.of(NOW.minus(Duration.ofMinutes(10)));
    moved.pendingDecisionId = null;
    moved.pendingAction = null;
    Decision swapIn = fleet.plan(enforced).decisions().get(0);
    assertThat(swapIn.getAction()).isEqualTo(Action.SWAP_IN);
    assertThat(swapIn.getHostId()).isEqualTo("h2");
  }

  @Test
  void aVmDueToWakeStaysPagedOutWhileItsHostIsOverloaded() {
    VmRecord vm = idleVm(Duration.ofHours(1), Duration.ofSeconds(20), 0.8);
    vm.pagedOut = true;
    vm.pinned = true;
    fleet.vm("hot", "h1", 4200).pinned = true;

    Planner.Result result = fleet.plan(settings);

    assertThat(result.decisions()).isEmpty();
    assertThat(result.plan().getNotChosen()).anySatisfy(n -> assertThat(n.getReason()).contains("predicted to wake").contains("of its CPU"));
  }
}
