package io.reshape.actuator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.events.Action;
import org.junit.jupiter.api.Test;

class HostActionsTest {

  @Test
  void readsEachHostsAllowlist() {
    HostActions actions = HostActions.parse(" host-1=PAGE_OUT+SWAP_IN ; host-2=MIGRATE ");
    assertThat(actions.grants("host-1", Action.SWAP_IN)).isTrue();
    assertThat(actions.grants("host-1", Action.MIGRATE)).isFalse();
    assertThat(actions.grants("host-3", Action.PAGE_OUT)).as("no allowlist: dry run").isFalse();
    assertThat(actions.refusal("host-3", Action.PAGE_OUT)).as("and the coordinator refuses it nothing").isEmpty();
    assertThat(actions).hasToString("host-1=PAGE_OUT+SWAP_IN;host-2=MIGRATE");
    assertThat(HostActions.parse("")).isEqualTo(HostActions.dryRun()).hasToString("every host in dry run");
  }

  @Test
  void saysWhatIsWrongWithABadAllowlist() {
    assertThatThrownBy(() -> HostActions.parse("host-1=PAGE_OUT+REBOOT")).hasMessage(
        "RESHAPE_HOST_ACTIONS: 'REBOOT' for host host-1 is not an action; the actions are PAGE_OUT, SWAP_IN, ENABLE_KSM,"
            + " DISABLE_KSM, MIGRATE, PROBE_IDLE");
    assertThatThrownBy(() -> HostActions.parse("host-1")).hasMessage("RESHAPE_HOST_ACTIONS: 'host-1' is not host=ACTION+ACTION");
    assertThatThrownBy(() -> HostActions.parse("host-1=MIGRATE;host-1=PAGE_OUT"))
        .hasMessage("RESHAPE_HOST_ACTIONS: host host-1 is listed twice");
    assertThatThrownBy(() -> HostActions.parse("host-1=UNKNOWN")).hasMessageContaining("'UNKNOWN' for host host-1 is not an action");
  }
}
