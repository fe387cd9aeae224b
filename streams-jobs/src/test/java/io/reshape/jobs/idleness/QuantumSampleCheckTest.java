package io.reshape.jobs.idleness;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.QuantumSample;
import org.junit.jupiter.api.Test;

class QuantumSampleCheckTest {

  private final QuantumSampleCheck check = new QuantumSampleCheck();
  private final QuantumSample good = Quanta.sample("vm", 0, 0, 0.5);

  private String problem(QuantumSample.Builder sample) {
    QuantumSample s = sample.build();
    return check.problem(s, s.getIntervalEnd().toEpochMilli());
  }

  @Test
  void aPlausibleSamplePasses() {
    assertThat(problem(QuantumSample.newBuilder(good))).isNull();
  }

  @Test
  void negativeDurationsAndCountsAreRefused() {
    assertThat(problem(QuantumSample.newBuilder(good).setRunNs(-1))).contains("Negative runNs");
    assertThat(problem(QuantumSample.newBuilder(good).setRunqueueWaitNs(-5))).contains("Negative runqueueWaitNs");
    assertThat(problem(QuantumSample.newBuilder(good).setHaltNs(-1L))).contains("Negative haltNs");
    assertThat(problem(QuantumSample.newBuilder(good).setHaltExits(-1L))).contains("Negative haltExits");
    assertThat(problem(QuantumSample.newBuilder(good).setInvoluntarySwitches(-3))).contains("context-switch");
    assertThat(problem(QuantumSample.newBuilder(good).setVcpu(-1))).contains("vCPU index");
  }

  @Test
  void aClockThatRunsBackwardsIsRefused() {
    QuantumSample.Builder backwards = QuantumSample.newBuilder(good)
        .setIntervalStart(good.getIntervalEnd()).setIntervalEnd(good.getIntervalStart());
    assertThat(check.problem(backwards.build(), good.getIntervalStart().toEpochMilli())).contains("before it starts");
  }

  @Test
  void moreRunTimeThanWallTimeIsRefused() {
    assertThat(problem(QuantumSample.newBuilder(good).setRunNs(2 * Quanta.SECOND_NS))).contains("ran 2000000000 ns in an interval of 1000000000 ns");
  }

  @Test
  void theRecordTimestampMustBeTheEventTime() {
    assertThat(check.problem(good, good.getIntervalEnd().toEpochMilli() + 1)).contains("collectors stamp records with their event time");
  }
}
