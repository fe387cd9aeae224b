package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.Benefit;
import io.reshape.events.Cost;
import io.reshape.events.Decision;
import io.reshape.events.Outcome;
import io.reshape.events.Plan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetGainsTest {

  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  private static Decision decision(String id, Action action, String vm, String host, long memory, long pages, Map<String, String> parameters) {
    return Decision.newBuilder().setDecisionId(id).setCreatedAt(T).setAction(action).setVmId(vm).setHostId(host)
        .setParameters(parameters).setReason("test").setDeadline(T.plusSeconds(300))
        .setExpectedBenefit(new Benefit(memory, 0, 0.0, pages)).setExpectedCost(new Cost(0L, 0L, 0L)).build();
  }

  private static Actuation actuation(String id, Outcome outcome) {
    return Actuation.newBuilder().setDecisionId(id).setCommandId(id + "@h1").setAction(Action.PAGE_OUT).setHostId("h1")
        .setOutcome(outcome).setDecidedAt(T).setFinishedAt(T).setDriver("test").setDetail("test").build();
  }

  private static Plan plan(String cell, int hosts, int active) {
    return Plan.newBuilder().setCellId(cell).setPlannedAt(T).setHosts(hosts).setActiveHosts(active).setVms(10)
        .setDecisionIds(List.of()).setLevers(List.of()).setNotChosen(List.of()).setWakesResident(0).setWakesPagedOut(0)
        .setSummary("test").build();
  }

  @Test
  void countsWhatTheLastDecisionOfEachVmAndHostLeavesAndWhatWasHeldBack() {
    List<Decision> decisions = List.of(
        decision("1", Action.PAGE_OUT, "a", "h1", 100 << 20, 0, Map.of()),
        decision("2", Action.PAGE_OUT, "b", "h1", 50 << 20, 0, Map.of()),
        decision("3", Action.SWAP_IN, "b", "h1", 0, 0, Map.of()),
        decision("4", Action.ENABLE_KSM, null, "h1", 0, 1000, Map.of()),
        decision("5", Action.ENABLE_KSM, null, "h2", 0, 500, Map.of()),
        decision("6", Action.DISABLE_KSM, null, "h2", 0, 0, Map.of()),
        decision("7", Action.MIGRATE, "c", "h1", 0, 0, Map.of("bytesToSend", "10", "reusedBytes", String.valueOf(30L << 20))),
        decision("8", Action.MIGRATE, "d", "h2", 0, 0, Map.of("bytesToSend", "10", "reusedBytes", "0")));
    List<Actuation> actuations = List.of(actuation("1", Outcome.DRY_RUN), actuation("2", Outcome.REJECTED),
        actuation("3", Outcome.EXPIRED), actuation("4", Outcome.APPLIED));

    FleetGains gains = FleetGains.of(decisions, actuations, List.of(plan("a", 8, 5), plan("b", 4, 4)), 7);

    assertThat(gains).isEqualTo(new FleetGains(3, 100L << 20, 1000, 30L << 20, 7, 2));
    assertThat(gains.describe()).isEqualTo("3 hosts could be powered off, 100 MiB paged out, 1,000 pages shared, "
        + "30 MiB not sent thanks to reuse; 7 candidates left by the planner, 2 decisions refused by the actuator");
  }
}
