package io.reshape.local.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.collectors.sim.Workload;
import io.reshape.events.Action;
import io.reshape.events.Decision;
import io.reshape.local.LocalRun;
import io.reshape.local.ProgressMonitor.Seen;
import io.reshape.local.RunConfig;
import io.reshape.local.recording.TransferProgress.Measure;
import io.reshape.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replay gives the decisions the live run gave. A run with a simulated fleet (idle, steady and
 * bursty VMs, one of them live-migrated away and back) has its inputs recorded; they are replayed
 * at the recorded pace into a second stack of its own, whose pipeline runs without a fleet. The
 * planner there makes the same decisions: the same ids, the same content.
 */
@Timeout(600)
class ReplayDecisionsIT {

  private static final Logger LOG = LoggerFactory.getLogger(ReplayDecisionsIT.class);
  private static final Duration LIVE = Duration.ofSeconds(60);
  /** How long decisions must stay as they are to count as settled once the input has ended. */
  private static final Duration SETTLED = Duration.ofSeconds(10);
  private static final List<String> INPUTS = List.of(Topics.QUANTA.name(), Topics.DIRTY_PAGES.name(), Topics.TRAFFIC.name(),
      Topics.PAGE_FINGERPRINTS.name(), Topics.INVENTORY.name());

  @TempDir
  Path dir;

  private static RunConfig config(boolean withFleet) {
    return new RunConfig(LIVE, 2, 3, Map.of(Workload.IDLE, 0.5, Workload.STEADY, 0.25, Workload.BURSTY, 0.25),
        Duration.ofSeconds(1), 1.0, Duration.ofMinutes(10), 11, 0, Duration.ofSeconds(20), Duration.ofSeconds(5),
        Duration.ofSeconds(6), Duration.ofSeconds(30), Duration.ofSeconds(2), 2, 1, Duration.ofSeconds(1), 1, null, withFleet, 0);
  }

  @Test
  void aReplayAtTheRecordedPaceGivesTheLiveRunsDecisions() throws Exception {
    Path recording = dir.resolve("live.recording");
    Map<String, Decision> live;
    try (LocalRun run = LocalRun.start(config(true), false)) {
      Thread.sleep(LIVE.toMillis());
      run.stopFleet();
      Recorder.Result recorded = new Recorder(run.stack().connection()).record(recording, INPUTS, false,
          new TransferProgress(Measure.OFFSETS));
      assertThat(recorded.complete()).isTrue();
      LOG.info("Recorded {} input records of the live run", recorded.records());
      live = settledDecisions(run, 0);
      assertThat(run.pipeline().failure()).isNull();
    }
    assertThat(live.values()).extracting(Decision::getAction).as("decisions worth comparing").contains(Action.PAGE_OUT);

    Map<String, Decision> replayed;
    try (LocalRun run = LocalRun.start(config(false), false)) {
      Replayer replayer = new Replayer(run.stack().connection(), WallClock.SYSTEM);
      Replayer.Result result = replayer.replay(replayer.plan(recording, INPUTS, ""), new ReplaySpeed(1), (record, at) -> { });
      assertThat(result.complete()).isTrue();
      replayed = settledDecisions(run, live.size());
      assertThat(run.pipeline().failure()).isNull();
    }
    LOG.info("Live run: {} decisions {}; replay: {}", live.size(), count(live), count(replayed));
    assertThat(replayed).as("the replay's decisions by id").isEqualTo(live);
  }

  /**
   * The decisions, at least {@code atLeast} of them, once none has come for a while: the input has
   * ended, so its last cycles have run.
   */
  private static Map<String, Decision> settledDecisions(LocalRun run, int atLeast) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    Map<String, Decision> seen = decisions(run);
    Instant changed = Instant.now();
    while (Instant.now().isBefore(deadline)
        && (seen.size() < atLeast || Duration.between(changed, Instant.now()).compareTo(SETTLED) < 0)) {
      Thread.sleep(500);
      Map<String, Decision> now = decisions(run);
      if (!now.equals(seen)) {
        seen = now;
        changed = Instant.now();
      }
    }
    return seen;
  }

  private static Map<String, Decision> decisions(LocalRun run) {
    return run.monitor().snapshot().decisions().stream().map(Seen::value)
        .collect(Collectors.toMap(Decision::getDecisionId, Function.identity(), (a, b) -> a, TreeMap::new));
  }

  private static Map<Action, Long> count(Map<String, Decision> decisions) {
    return decisions.values().stream().collect(Collectors.groupingBy(Decision::getAction, TreeMap::new, Collectors.counting()));
  }
}
