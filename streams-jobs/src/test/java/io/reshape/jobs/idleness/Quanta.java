package io.reshape.jobs.idleness;

import io.reshape.events.IdleState;
import io.reshape.events.IdlenessPrediction;
import io.reshape.events.QuantumSample;
import java.time.Instant;

/** Quantum samples and idleness changes for tests, on a clock that starts at {@link #T0}. */
final class Quanta {

  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final long SECOND_NS = 1_000_000_000L;

  private Quanta() {}

  /** One vCPU's second starting {@code second} seconds after T0, running {@code run} of it. */
  static QuantumSample sample(String vm, int vcpu, int second, double run) {
    long runNs = (long) (run * SECOND_NS);
    return QuantumSample.newBuilder()
        .setVmId(vm).setHostId("host-1").setVcpu(vcpu)
        .setIntervalStart(T0.plusSeconds(second)).setIntervalEnd(T0.plusSeconds(second + 1))
        .setRunNs(runNs).setRunqueueWaitNs(0).setHaltNs((SECOND_NS - runNs) * 98 / 100).setHaltExits(50L)
        .setVoluntarySwitches(50).setInvoluntarySwitches(run > 0.5 ? 200 : 0)
        .build();
  }

  static long endMillis(int second) {
    return T0.plusSeconds(second + 1).toEpochMilli();
  }

  static IdlenessPrediction change(String vm, IdleState state, int sinceSecond) {
    return IdlenessPrediction.newBuilder()
        .setVmId(vm).setHostId("host-1").setObservedAt(T0.plusSeconds(sinceSecond + 3)).setState(state)
        .setStateSince(T0.plusSeconds(sinceSecond)).setUtilisation(state == IdleState.IDLE ? 0.01 : 0.6)
        .build();
  }
}
