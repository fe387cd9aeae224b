package io.reshape.actuator.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.actuator.HostActions;
import io.reshape.events.Action;
import io.reshape.events.Benefit;
import io.reshape.events.Cost;
import io.reshape.events.Decision;
import io.reshape.events.Outcome;
import io.reshape.events.VmInventory;
import io.reshape.events.VmState;
import io.reshape.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionRulesTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private final DecisionRules rules = new DecisionRules(CoordinatorSettings.defaults());

  static Decision decision(Action action, String vm, String host) {
    return Decision.newBuilder()
        .setDecisionId(action + "-" + vm).setCreatedAt(NOW).setAction(action).setVmId(vm).setHostId(host)
        .setDestinationHostId(action == Action.MIGRATE ? "host-2" : null)
        .setParameters(Map.of()).setReason("test")
        .setExpectedBenefit(new Benefit(1L, 0, 0.0, 0L)).setExpectedCost(new Cost(1L, 0L, 0L)).setDeadline(NOW.plusSeconds(300))
        .build();
  }

  static VmInventory vm(String id, String host, VmState state, boolean pinned) {
    return VmInventory.newBuilder().setVmId(id).setHostId(host).setVcpus(2).setMemoryBytes(1L << 30)
        .setState(state).setPinned(pinned).setLabels(Map.of()).build();
  }

  private static String reason(Verdict verdict) {
    assertThat(verdict).isInstanceOf(Verdict.Refuse.class);
    return ((Verdict.Refuse) verdict).reason();
  }

  @Test
  void aDecisionThatFitsThePlacementGoesToItsHost() {
    assertThat(rules.judge(decision(Action.PAGE_OUT, "vm-1", "host-1"), vm("vm-1", "host-1", VmState.RUNNING, false), null, NOW, NOW))
        .isEqualTo(new Verdict.Accept(List.of("host-1")));
  }

  @Test
  void aMigrationInvolvesBothHosts() {
    assertThat(rules.judge(decision(Action.MIGRATE, "vm-1", "host-1"), vm("vm-1", "host-1", VmState.RUNNING, false), null, NOW, NOW))
        .isEqualTo(new Verdict.Accept(List.of("host-1", "host-2")));
  }

  @Test
  void aHostWithAnAllowlistGetsOnlyWhatItGrantsAndOneWithoutOneEverything() {
    DecisionRules allowlisted = new DecisionRules(new CoordinatorSettings(Duration.ofMinutes(5), Topics.DECISION_MEMORY,
        HostActions.parse("host-1=PAGE_OUT+SWAP_IN+MIGRATE")));
    VmInventory vm = vm("vm-1", "host-1", VmState.RUNNING, false);
    assertThat(allowlisted.judge(decision(Action.PAGE_OUT, "vm-1", "host-1"), vm, null, NOW, NOW))
        .isEqualTo(new Verdict.Accept(List.of("host-1")));
    assertThat(reason(allowlisted.judge(decision(Action.ENABLE_KSM, null, "host-1"), null, null, NOW, NOW)))
        .isEqualTo("Host host-1 grants only [MIGRATE, PAGE_OUT, SWAP_IN], not ENABLE_KSM; nothing is done");
    assertThat(allowlisted.judge(decision(Action.MIGRATE, "vm-1", "host-1"), vm, null, NOW, NOW))
        .as("host-2 has no allowlist: in dry run, it takes everything").isEqualTo(new Verdict.Accept(List.of("host-1", "host-2")));

    DecisionRules bothListed = new DecisionRules(new CoordinatorSettings(Duration.ofMinutes(5), Topics.DECISION_MEMORY,
        HostActions.parse("host-1=MIGRATE;host-2=PAGE_OUT")));
    assertThat(reason(bothListed.judge(decision(Action.MIGRATE, "vm-1", "host-1"), vm, null, NOW, NOW)))
        .as("a migration needs both hosts' grant").startsWith("Host host-2 grants only [PAGE_OUT], not MIGRATE");
  }

  @Test
  void unknownOrMovedOrStoppedVmsAreRefused() {
    Decision pageOut = decision(Action.PAGE_OUT, "vm-1", "host-1");
    assertThat(reason(rules.judge(pageOut, null, null, NOW, NOW))).contains("not in the inventory");
    assertThat(reason(rules.judge(pageOut, vm("vm-1", "host-9", VmState.RUNNING, false), null, NOW, NOW))).contains("runs on host-9, not on host-1");
    assertThat(reason(rules.judge(pageOut, vm("vm-1", "host-1", VmState.STOPPED, false), null, NOW, NOW))).contains("stopped");
  }

  @Test
  void pinnedVmsNeverMove() {
    assertThat(reason(rules.judge(decision(Action.MIGRATE, "vm-1", "host-1"), vm("vm-1", "host-1", VmState.RUNNING, true), null, NOW, NOW)))
        .contains("pinned");
  }

  @Test
  void aVmActedOnRecentlyWaitsExceptToWake() {
    VmInventory vm = vm("vm-1", "host-1", VmState.RUNNING, false);
    Instant minuteAgo = NOW.minusSeconds(60);
    assertThat(reason(rules.judge(decision(Action.PAGE_OUT, "vm-1", "host-1"), vm, minuteAgo, NOW, NOW))).contains("cool-down of 300 s");
    assertThat(rules.judge(decision(Action.SWAP_IN, "vm-1", "host-1"), vm, minuteAgo, NOW, NOW)).isInstanceOf(Verdict.Accept.class);
    assertThat(rules.judge(decision(Action.PAGE_OUT, "vm-1", "host-1"), vm, NOW.minus(Duration.ofMinutes(6)), NOW, NOW))
        .isInstanceOf(Verdict.Accept.class);
  }

  @Test
  void aLateDecisionExpires() {
    Decision late = Decision.newBuilder(decision(Action.PAGE_OUT, "vm-1", "host-1")).setDeadline(NOW.minusSeconds(1)).build();
    Verdict verdict = rules.judge(late, vm("vm-1", "host-1", VmState.RUNNING, false), null, NOW, NOW);
    assertThat(verdict).isInstanceOfSatisfying(Verdict.Refuse.class, r -> assertThat(r.outcome()).isEqualTo(Outcome.EXPIRED));
  }

  @Test
  void hostWideActionsNeedNoVm() {
    Decision ksm = Decision.newBuilder(decision(Action.ENABLE_KSM, null, "host-3")).build();
    assertThat(rules.judge(ksm, null, null, NOW, NOW)).isEqualTo(new Verdict.Accept(List.of("host-3")));
    assertThat(reason(rules.judge(decision(Action.PAGE_OUT, null, "host-3"), null, null, NOW, NOW))).contains("names none");
  }

  @Test
  void aDecisionOlderThanTheCoordinatorRemembersExpiresWhateverItsDeadline() {
    Decision old = Decision.newBuilder(decision(Action.PAGE_OUT, "vm-1", "host-1")).setDeadline(NOW.plus(Duration.ofDays(30))).build();
    VmInventory vm = vm("vm-1", "host-1", VmState.RUNNING, false);
    assertThat(rules.judge(old, vm, null, NOW, NOW.plus(Duration.ofDays(7)))).isInstanceOf(Verdict.Accept.class);
    Verdict verdict = rules.judge(old, vm, null, NOW, NOW.plus(Duration.ofDays(7)).plusSeconds(1));
    assertThat(verdict).isInstanceOfSatisfying(Verdict.Refuse.class, r -> {
      assertThat(r.outcome()).isEqualTo(Outcome.EXPIRED);
      assertThat(r.reason()).contains("longer ago than the 7 days the coordinator remembers");
    });
  }

  @Test
  void anActionOrAStateANewerSchemaAddedIsRefused() {
    assertThat(reason(rules.judge(decision(Action.UNKNOWN, "vm-1", "host-1"), vm("vm-1", "host-1", VmState.RUNNING, false), null, NOW, NOW)))
        .contains("does not know");
    assertThat(reason(rules.judge(decision(Action.PAGE_OUT, "vm-1", "host-1"), vm("vm-1", "host-1", VmState.UNKNOWN, false), null, NOW, NOW)))
        .contains("state this coordinator does not know");
  }

  @Test
  void theMemoryMayNotBeShorterThanTheDecisionsTopicKeepsThem() {
    assertThat(CoordinatorSettings.defaults().decisionMemory()).isEqualTo(Topics.DECISIONS.retention());
    assertThatThrownBy(() -> new CoordinatorSettings(Duration.ofMinutes(5), Duration.ofDays(6), HostActions.dryRun()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention of decisions");
  }
}
