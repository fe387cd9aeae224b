package io.reshape.actuator.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.actuator.HostActions;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriversTest {

  private final DryRunDriver dryRun = new DryRunDriver();
  private final Driver paging = new Driver() {
    @Override
    public String name() {
      return "paging";
    }

    @Override
    public DriverResult apply(HostCommand command, Progress progress) {
      return new DriverResult(Outcome.APPLIED, "paged");
    }
  };

  private static HostCommand command(String host, Action action) {
    return HostCommand.newBuilder().setCommandId("c@" + host).setDecisionId("c").setHostId(host).setAction(action)
        .setVmId("vm-1").setDecidedAt(Instant.EPOCH).setDeadline(Instant.EPOCH).build();
  }

  @Test
  void aRealDriverOnlyWhereTheHostGrantsTheActionTheDryRunEverywhereElse() {
    Drivers drivers = new Drivers(HostActions.parse("host-1=PAGE_OUT"), Map.of(Action.PAGE_OUT, paging), dryRun);
    assertThat(drivers.of(command("host-1", Action.PAGE_OUT))).isSameAs(paging);
    assertThat(drivers.of(command("host-1", Action.SWAP_IN))).isSameAs(dryRun);
    assertThat(drivers.of(command("host-2", Action.PAGE_OUT))).as("no allowlist").isSameAs(dryRun);
    assertThat(Drivers.only(dryRun).of(command("host-1", Action.PAGE_OUT))).as("the default").isSameAs(dryRun);
  }

  @Test
  void anActionGrantedWithoutADriverIsAnErrorAtStart() {
    assertThatThrownBy(() -> new Drivers(HostActions.parse("host-1=PAGE_OUT+MIGRATE"), Map.of(Action.PAGE_OUT, paging), dryRun))
        .hasMessage("RESHAPE_HOST_ACTIONS grants MIGRATE on host-1, and this executor has no driver for it; it has drivers"
            + " for [PAGE_OUT]");
  }
}
