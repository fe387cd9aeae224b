package io.reshape.local.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.Action;
import io.reshape.events.Decision;
import io.reshape.jobs.evaluation.OfflineEvaluation;
import io.reshape.local.LocalStack;
import io.reshape.planner.PlannerSettings;
import io.reshape.planner.sim.PlanetLabDay;
import io.reshape.planner.sim.PlanetLabTraces.VmTrace;
import io.reshape.planner.sim.Scoreboard;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The planner's decisions on a simulated datacenter are the same whether it runs in this process
 * (offline) or through Kafka, Flink and Kafka Streams in lock-step: two hours of a small day of a
 * hundred and twenty VMs whose loads swing.
 */
@Timeout(600)
class EvaluationModesIT {

  private static final Logger LOG = LoggerFactory.getLogger(EvaluationModesIT.class);

  private static final int STEPS = 24;
  private static final int HOSTS = 60;
  /** A day ago: the broker refuses records stamped more than an hour ahead of its clock. */
  private static final Instant START = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));

  @TempDir
  Path dir;

  /** VMs whose load rises and falls over the day, each in its own phase, some near idle, with noise. */
  static PlanetLabDay swingingDay(int vms) {
    Random random = new Random(20110303);
    List<VmTrace> traces = new ArrayList<>();
    for (int vm = 0; vm < vms; vm++) {
      double base = random.nextDouble() * 40;
      double swing = random.nextDouble() * 40;
      double phase = random.nextDouble() * PlanetLabDay.STEPS;
      int[] percent = new int[PlanetLabDay.STEPS];
      for (int step = 0; step < percent.length; step++) {
        double wave = Math.sin(2 * Math.PI * (step + phase) / PlanetLabDay.STEPS * 6);
        percent[step] = (int) Math.max(0, Math.min(100, Math.round(base + swing * wave + random.nextGaussian() * 5)));
      }
      traces.add(new VmTrace("vm-" + vm, percent));
    }
    return new PlanetLabDay("swinging", traces);
  }

  /** A decision in a few words: when, what, of which VM, from and to which host. */
  private static String inWords(Decision d) {
    return Duration.between(START, d.getCreatedAt()).toMinutes() + " min " + d.getAction() + " " + d.getVmId() + " "
        + d.getHostId() + (d.getDestinationHostId() == null ? "" : " to " + d.getDestinationHostId());
  }

  @Test
  void offlineAndThroughThePipelineThePlannerDecidesAlike() throws Exception {
    PlanetLabDay day = swingingDay(120);
    PlannerSettings settings = PlannerSettings.defaults();
    OfflineEvaluation.Run offline = new OfflineEvaluation(settings)
        .run(day, HOSTS, START, STEPS, (step, score, decisions) -> { });
    assertThat(offline.decisions()).as("the two hours call for decisions")
        .anySatisfy(d -> assertThat(d.getAction()).isEqualTo(Action.MIGRATE));

    PipelineEvaluation.Run pipeline;
    try (LocalStack stack = LocalStack.start(dir.resolve("stack"))) {
      pipeline = new PipelineEvaluation(stack, settings, dir.resolve("pipeline"))
          .run(day, HOSTS, START, STEPS, (step, score, decisions, roundTrip) ->
              LOG.info("Step {}: {} decisions so far, round trip {} ms", step, decisions, roundTrip.toMillis()));
    }

    assertThat(pipeline.decisions()).extracting(EvaluationModesIT::inWords)
        .containsExactlyElementsOf(offline.decisions().stream().map(EvaluationModesIT::inWords).toList());
    assertThat(pipeline.decisions()).isEqualTo(offline.decisions());
    Scoreboard.Score a = offline.score();
    Scoreboard.Score b = pipeline.score();
    assertThat(b).isEqualTo(a);
    assertThat(pipeline.roundTrips()).hasSize(STEPS - 1).allSatisfy(t -> assertThat(t).isLessThan(Duration.ofMinutes(2)));
  }
}
