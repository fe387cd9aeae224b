package io.reshape.local.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadFiguresTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Stage IDLENESS = new Stage("reshape-idleness", "quanta", true);
  private static final Stage COORDINATOR = new Stage("reshape-coordinator", "decisions", false);

  /** A sample: how many quanta so far, and each stage's records behind with the age of its oldest, in seconds. */
  private static LoadSample sample(int second, long quanta, long idlenessBehind, double idlenessWaiting, long coordinatorBehind,
      double coordinatorWaiting, long cpuMillis) {
    return new LoadSample(T0.plusSeconds(second), Map.of("quanta", quanta, "decisions", 0L),
        Map.of(IDLENESS, idlenessBehind, COORDINATOR, coordinatorBehind),
        Map.of(IDLENESS, Duration.ofMillis((long) (idlenessWaiting * 1000)), COORDINATOR,
            Duration.ofMillis((long) (coordinatorWaiting * 1000))),
        Duration.ofMillis(cpuMillis), 3L << 30, 500_000,
        Map.of("pipeline", Duration.ofMillis(cpuMillis * 3 / 4), "broker", Duration.ofMillis(cpuMillis / 4)),
        Map.of("track-generatio", Duration.ofMillis(cpuMillis / 2), "rocksdb:low", Duration.ofMillis(cpuMillis / 4), "main",
            Duration.ZERO));
  }

  @Test
  void aStageKeepsUpWithinTheLimitAndOneCheckpointIntervalWhereItCommitsWithCheckpoints() {
    LoadFigures figures = new LoadFigures(1000, Set.of("quanta", "decisions"), Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(figures.add(sample(0, 0, 0, 0, 0, 0, 0))).isNull();
    // 1,000 quanta a second; idleness has 3,000 waiting, the oldest for 3 s: within 2 s and a 2 s checkpoint interval.
    String line = figures.add(sample(10, 10_000, 3_000, 3.0, 0, 0, 15_000));
    assertThat(line).startsWith("in 1,000/s | most behind: idleness/quanta 3,000 (3.0 s), coordinator/decisions 0 (0.0 s)")
        .contains("CPU 1.50 cores");
    // A burst of decisions not committed yet, the oldest half a second old: the age, not the count, is the lag.
    figures.add(sample(20, 20_000, 3_500, 3.5, 40, 0.5, 30_000));
    assertThat(figures.behind()).isEmpty();
    assertThat(figures.report()).contains(
        "Events in     1,000/s on average, 1,000/s at most, for 1,000 VMs",
        "Memory        3,072 MiB resident at most (the pipeline's JVM, the broker, the registry); state 0 MiB, 500 bytes per VM")
        .anyMatch(l -> l.startsWith("CPU           1.50 cores on average") && l.endsWith(": 1.50 cores per 1,000 VMs"))
        .contains("CPU by process pipeline 1.13, broker 0.38",
            "CPU by thread  track-generatio 0.75, rocksdb:low 0.38 (the pipeline's JVM, native threads too)")
        .last().isEqualTo("Verdict       kept up: 1,000 VMs, every stage within its lag limit");
  }

  @Test
  void aStageWhoseLagGrowsPastItsLimitIsWhereTheRunFellBehind() {
    LoadFigures figures = new LoadFigures(1000, Set.of("quanta", "decisions"), Duration.ofSeconds(2), Duration.ofSeconds(2));
    figures.add(sample(0, 0, 0, 0, 0, 0, 0));
    figures.add(sample(10, 10_000, 6_000, 6.0, 0, 0, 20_000));
    figures.add(sample(20, 20_000, 12_000, 12.0, 2, 8.0, 40_000));
    assertThat(figures.behind()).containsExactly(IDLENESS, COORDINATOR);
    assertThat(figures.report()).anyMatch(l -> l.contains("idleness/quanta") && l.contains("p99 12.0 s") && l.endsWith("BEHIND"))
        .anyMatch(l -> l.contains("coordinator/decisions") && l.contains("p99 8.0 s"))
        .last().isEqualTo("Verdict       fell behind at 1,000 VMs, in idleness/quanta, coordinator/decisions");
  }

  @Test
  void feedbackStampedWithItsDecisionsEventTimeIsShownAndNotJudged() {
    LoadFigures figures = new LoadFigures(1000, Set.of("quanta"), Duration.ofSeconds(2), Duration.ofSeconds(2));
    figures.add(sample(0, 0, 0, 0, 0, 0, 0));
    figures.add(sample(10, 10_000, 1_000, 1.0, 3, 15.0, 20_000));
    assertThat(figures.behind()).isEmpty();
    assertThat(figures.report()).anyMatch(l -> l.contains("coordinator/decisions") && l.contains("p99 15.0 s")
        && l.endsWith("(feedback: from its decision's event time)"));
  }
}
