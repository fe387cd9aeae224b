package io.reshape.jobs.idleness;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.Action;
import io.reshape.events.Decision;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PagingPolicyTest {

  private static final long GIB = 1L << 30;
  private final PagingPolicy policy = new PagingPolicy(Duration.ofSeconds(20), Duration.ofMinutes(5));
  private final Instant idleSince = Quanta.T0;
  private final Instant due = policy.pageOutDue(idleSince);

  @Test
  void pageOutIsDueAfterTheThreshold() {
    assertThat(due).isEqualTo(idleSince.plusSeconds(20));
  }

  @Test
  void pageOutFreesTheVmsMemoryAndSaysWhy() {
    Decision d = policy.pageOut("vm-1", "host-1", idleSince, due, 2 * GIB);
    assertThat(d.getAction()).isEqualTo(Action.PAGE_OUT);
    assertThat(d.getVmId()).isEqualTo("vm-1");
    assertThat(d.getHostId()).isEqualTo("host-1");
    assertThat(d.getCreatedAt()).isEqualTo(due);
    assertThat(d.getExpectedBenefit().getMemoryBytes()).isEqualTo(2 * GIB);
    assertThat(d.getExpectedCost().getTransferBytes()).isEqualTo(2 * GIB);
    assertThat(d.getExpectedCost().getWakeLatencyMillis()).isEqualTo(4295);
    assertThat(d.getReason()).contains("Idle since " + idleSince).contains("20 s");
    assertThat(d.getDeadline()).as("worth applying for the decision's lifetime").isEqualTo(due.plus(Duration.ofMinutes(5)));
  }

  @Test
  void theSameDecisionAgainHasTheSameId() {
    Decision first = policy.pageOut("vm-1", "host-1", idleSince, due, GIB);
    Decision again = policy.pageOut("vm-1", "host-1", idleSince, due, GIB);
    assertThat(again.getDecisionId()).isEqualTo(first.getDecisionId());
    assertThat(policy.pageOut("vm-2", "host-1", idleSince, due, GIB).getDecisionId()).isNotEqualTo(first.getDecisionId());
    assertThat(policy.swapIn("vm-1", "host-1", due, GIB).getDecisionId()).isNotEqualTo(first.getDecisionId());
  }

  @Test
  void anUnknownSizeIsSaidNotGuessed() {
    Decision d = policy.pageOut("vm-1", "host-1", idleSince, due, null);
    assertThat(d.getExpectedBenefit().getMemoryBytes()).isZero();
    assertThat(d.getReason()).contains("memory size unknown");
  }

  @Test
  void swapInBringsTheMemoryBack() {
    Decision d = policy.swapIn("vm-1", "host-1", due, GIB);
    assertThat(d.getAction()).isEqualTo(Action.SWAP_IN);
    assertThat(d.getExpectedBenefit().getMemoryBytes()).isEqualTo(-GIB);
    assertThat(d.getDeadline()).isEqualTo(due.plus(Duration.ofMinutes(5)));
  }
}
