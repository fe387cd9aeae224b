package io.reshape.planner.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.Action;
import io.reshape.events.Outcome;
import io.reshape.planner.sim.PlanetLabTraces.VmTrace;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sim driver's actions on a datacenter of two VMs and two hosts: checks first, a refusal changes nothing. */
class SimActionsTest {

  private static final Instant START = Instant.parse("2011-03-03T00:00:00Z");

  private final PlanetLabFleet fleet = new PlanetLabFleet(SimDatacenter.start(day(), 2), START);
  private final SimActions actions = new SimActions(fleet);

  private static PlanetLabDay day() {
    int[] percent = new int[PlanetLabDay.STEPS];
    Arrays.fill(percent, 20);
    return new PlanetLabDay("two", List.of(new VmTrace("a", percent), new VmTrace("b", percent)));
  }

  private String hostOf(String vm) {
    return fleet.hostId(fleet.datacenter().hostOf(fleet.vm(vm)));
  }

  private String otherHost(String host) {
    return fleet.hostId(1 - fleet.host(host));
  }

  @Test
  void aMigrationInTheStepItWasDecidedForMovesTheVmAndSaysWhereTheInventoryWillSeeIt() {
    String from = hostOf("a");
    String to = otherHost(from);
    Instant decided = START.plusSeconds(5);
    SimActions.Result source = actions.apply(Action.MIGRATE, "a", from, to, Map.of(), decided);
    assertThat(source.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(source.detail()).startsWith("Migrated a to " + to);
    assertThat(source.observed()).hasValueSatisfying(r -> assertThat(r.getObservedAt()).isAfter(decided));
    assertThat(actions.apply(Action.MIGRATE, "a", to, to, Map.of(), decided).outcome())
        .as("the destination only acknowledges").isEqualTo(Outcome.APPLIED);
  }

  @Test
  void whatCannotBeDoneIsRefusedWithTheReasonAndChangesNothing() {
    String from = hostOf("a");
    String to = otherHost(from);
    assertThat(actions.apply(Action.MIGRATE, "a", to, from, Map.of(), START.plusSeconds(5)).detail())
        .isEqualTo("Nothing changed: a is on " + from + ", not " + to);
    assertThat(actions.apply(Action.MIGRATE, "a", from, to, Map.of(), START.plusSeconds(400)).detail())
        .isEqualTo("Nothing changed: decided for step 1 while the datacenter is at step 0");
    assertThat(actions.apply(Action.PAGE_OUT, "nobody", from, null, Map.of(), START).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(actions.apply(Action.ENABLE_KSM, null, "nowhere", null, Map.of(), START).detail())
        .isEqualTo("Nothing changed: no host nowhere in the simulated datacenter");
    assertThat(hostOf("a")).isEqualTo(from);
  }

  @Test
  void aPagedOutVmIsSwappedBackInAndKsmTurnsOnAndOff() {
    String host = hostOf("b");
    assertThat(actions.apply(Action.PAGE_OUT, "b", host, null, Map.of("residentBytes", String.valueOf(64L << 20)), START).outcome())
        .isEqualTo(Outcome.APPLIED);
    assertThat(actions.apply(Action.SWAP_IN, "b", host, null, Map.of(), START).outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(actions.apply(Action.ENABLE_KSM, null, host, null, Map.of(), START).detail()).isEqualTo("KSM on on " + host);
    assertThat(actions.apply(Action.DISABLE_KSM, null, host, null, Map.of(), START).detail()).isEqualTo("KSM off on " + host);
  }
}
