package io.reshape.local;

import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.Decision;
import io.reshape.events.Outcome;
import io.reshape.events.Plan;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a run's decisions gained the fleet, as its end report says: hosts its last plans leave
 * without VMs (they could be powered off), memory still paged out, pages KSM is merging, bytes a
 * migration did not send because the destination kept the VM's old image, and what was held back:
 * candidates the planner left for a guardrail or a poor trade, decisions the actuator refused.
 *
 * @param hostsOff hosts the last plan of each cell leaves with nothing to run
 * @param pagedOutBytes memory of the VMs whose last paging decision paged them out
 * @param sharedPages pages merged on the hosts whose last KSM decision turned it on
 * @param reusedBytes bytes the migrations did not send, their destination holding the VM's image
 * @param leftByPlanner candidates the plans left, with their reasons
 * @param refusedByActuator decisions the actuator refused, expired or failed
 */
public record FleetGains(long hostsOff, long pagedOutBytes, long sharedPages, long reusedBytes, long leftByPlanner,
    long refusedByActuator) {

  private static final Set<Outcome> REFUSED = EnumSet.of(Outcome.REJECTED, Outcome.EXPIRED, Outcome.FAILED);

  /** @param decisions in the order they were made; @param lastPlans the last plan of each cell */
  public static FleetGains of(List<Decision> decisions, List<Actuation> actuations, Collection<Plan> lastPlans, long leftByPlanner) {
    Map<String, Decision> paging = new HashMap<>();
    Map<String, Decision> ksm = new HashMap<>();
    long reused = 0;
    for (Decision d : decisions) {
      switch (d.getAction()) {
        case PAGE_OUT, SWAP_IN -> paging.put(d.getVmId(), d);
        case ENABLE_KSM, DISABLE_KSM -> ksm.put(d.getHostId(), d);
        case MIGRATE -> reused += Long.parseLong(d.getParameters().getOrDefault("reusedBytes", "0"));
        default -> { }
      }
    }
    long pagedOut = paging.values().stream().filter(d -> d.getAction() == Action.PAGE_OUT)
        .mapToLong(d -> d.getExpectedBenefit().getMemoryBytes()).sum();
    long shared = ksm.values().stream().filter(d -> d.getAction() == Action.ENABLE_KSM)
        .mapToLong(d -> d.getExpectedBenefit().getSharedPages()).sum();
    long hostsOff = lastPlans.stream().mapToLong(p -> p.getHosts() - p.getActiveHosts()).sum();
    long refused = actuations.stream().filter(a -> REFUSED.contains(a.getOutcome())).count();
    return new FleetGains(hostsOff, pagedOut, shared, reused, leftByPlanner, refused);
  }

  /** One line of the report. */
  public String describe() {
    return String.format(Locale.ROOT, "%d host%s could be powered off, %s paged out, %,d pages shared, %s not sent thanks to reuse; "
            + "%,d candidates left by the planner, %d decisions refused by the actuator",
        hostsOff, hostsOff == 1 ? "" : "s", mib(pagedOutBytes), sharedPages, mib(reusedBytes), leftByPlanner, refusedByActuator);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,.0f MiB", bytes / (double) (1 << 20));
  }
}
