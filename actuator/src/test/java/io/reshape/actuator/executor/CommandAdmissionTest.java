package io.reshape.actuator.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandAdmissionTest {

  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
  private final CommandAdmission admission = ExecutorSettings.of(Set.of(), Path.of("unused")).admission();

  private static HostCommand command(Action action, Instant decidedAt, Instant deadline) {
    return HostCommand.newBuilder().setCommandId("d@host-1").setDecisionId("d").setHostId("host-1").setAction(action)
        .setVmId("vm-1").setDecidedAt(decidedAt).setDeadline(deadline).build();
  }

  @Test
  void aCommandInTimeIsAdmitted() {
    assertThat(admission.refusal(command(Action.PAGE_OUT, T, T.plusSeconds(300)), T.plusSeconds(10))).isEmpty();
  }

  @Test
  void aCommandPastItsDeadlineExpires() {
    assertThat(admission.refusal(command(Action.PAGE_OUT, T, T.plusSeconds(300)), T.plusSeconds(301)))
        .hasValueSatisfying(r -> {
          assertThat(r.outcome()).isEqualTo(Outcome.EXPIRED);
          assertThat(r.reason()).contains("Deadline");
        });
  }

  @Test
  void aCommandDecidedLongerAgoThanTheJournalRemembersIsRefusedWhateverItsDeadline() {
    HostCommand old = command(Action.PAGE_OUT, T, T.plus(Duration.ofDays(60)));
    assertThat(admission.refusal(old, T.plus(Topics.DECISION_MEMORY))).isEmpty();
    assertThat(admission.refusal(old, T.plus(Topics.DECISION_MEMORY).plusMillis(1))).hasValueSatisfying(r -> {
      assertThat(r.outcome()).isEqualTo(Outcome.EXPIRED);
      assertThat(r.reason()).contains("longer ago than the 7 days this executor's journal remembers");
    });
  }

  @Test
  void anActionANewerSchemaAddedIsRejected() {
    assertThat(admission.refusal(command(Action.UNKNOWN, T, T.plusSeconds(300)), T)).hasValueSatisfying(r -> {
      assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(r.reason()).contains("does not know").contains("nothing was done");
    });
  }

  @Test
  void theJournalMayNotForgetBeforeTheCommandsTopicDoes() {
    assertThatThrownBy(() -> new ExecutorSettings(Set.of(), Path.of("unused"), Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention of commands");
  }
}
