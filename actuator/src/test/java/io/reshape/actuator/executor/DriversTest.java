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
  private final Driver paging = driver("paging");
  private final Driver labPaging = driver("lab-paging");

  /** A driver that applies everything, known by its name. */
  private static Driver driver(String name) {
    return new Driver() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public DriverResult apply(HostCommand command, Progress progress) {
        return new DriverResult(Outcome.APPLIED, "applied");
      }
    };
  }

  private static HostCommand command(String host, Action action) {
    return command(host, action, "vm-1");
  }

  private static HostCommand command(String host, Action action, String vm) {
    return HostCommand.newBuilder().setCommandId("c@" + host).setDecisionId("c").setHostId(host).setAction(action)
        .setVmId(vm).setDecidedAt(Instant.EPOCH).setDeadline(Instant.EPOCH).build();
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

  @Test
  void commandsOnLabVmsGoToTheLabDriversWhereTheHostGrantsTheAction() {
    Drivers drivers = new Drivers(HostActions.parse("host-1=PAGE_OUT+SWAP_IN"), Map.of(Action.PAGE_OUT, paging, Action.SWAP_IN, paging),
        new Drivers.LabRoute(command -> command.getVmId().startsWith("lab-"), Map.of(Action.PAGE_OUT, labPaging)), dryRun);
    assertThat(drivers.of(command("host-1", Action.PAGE_OUT, "lab-1"))).isSameAs(labPaging);
    assertThat(drivers.of(command("host-1", Action.PAGE_OUT, "vm-1"))).isSameAs(paging);
    assertThat(drivers.of(command("host-1", Action.SWAP_IN, "lab-1"))).as("no lab driver for it").isSameAs(paging);
    assertThat(drivers.of(command("host-2", Action.PAGE_OUT, "lab-1"))).as("not granted").isSameAs(dryRun);
  }
}
