package io.reshape.local;

import io.reshape.actuator.HostActions;
import io.reshape.actuator.coordinator.CoordinatorSettings;
import io.reshape.collectors.sim.FleetSpec;
import io.reshape.collectors.sim.Workload;
import io.reshape.jobs.analytics.AnalyticsSettings;
import io.reshape.jobs.kafka.EventTime;
import io.reshape.jobs.planner.PlannerJobSettings;
import io.reshape.planner.CostModel;
import io.reshape.planner.PlannerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a local run is told, in one immutable value (logged at start).
 *
 * @param duration how long the fleet runs (wall time)
 * @param hosts simulated hosts
 * @param vmsPerHost simulated VMs per host
 * @param mix share of each workload among the VMs
 * @param interval collector interval (simulated time)
 * @param speed simulated seconds per wall second
 * @param day length of a simulated day, for diurnal workloads
 * @param seed seed of the fleet's random choices
 * @param labVms VMs run under KVM by the fleet itself, whose dirty pages are KVM's own log
 * @param moveEvery simulated time between two live migrations of the fleet (zero: none)
 * @param planEvery how often the planner plans, in the fleet's time
 * @param pageOutAfter least idle time, predicted to remain (or so far, without a prediction), before the
 *     planner pages a VM out
 * @param cooldown least time between two actions on one VM
 * @param outOfOrderness how far behind the newest record of its partition a record may come and still count;
 *     every decision waits this long for the records of its instant
 * @param parallelism Flink parallelism
 * @param taskManagers Flink TaskManagers sharing the parallelism's slots
 * @param checkpointInterval Flink checkpoint interval
 * @param brokers Kafka brokers the stack runs; with three or more, topics have three replicas
 * @param dataDir where the stack keeps its data; null for a temporary directory removed at the end
 * @param withFleet whether the simulated fleet runs; without it the pipeline takes what others publish
 *     (a replay, collectors)
 * @param flinkMetricsPort port of Flink's Prometheus reporter; 0 runs none
 */
public record RunConfig(
    Duration duration,
    int hosts,
    int vmsPerHost,
    Map<Workload, Double> mix,
    Duration interval,
    double speed,
    Duration day,
    long seed,
    int labVms,
    Duration moveEvery,
    Duration planEvery,
    Duration pageOutAfter,
    Duration cooldown,
    Duration outOfOrderness,
    int parallelism,
    int taskManagers,
    Duration checkpointInterval,
    int brokers,
    Path dataDir,
    boolean withFleet,
    int flinkMetricsPort) {

  public RunConfig {
    mix = Map.copyOf(mix);
  }

  public FleetSpec fleet() {
    return new FleetSpec(hosts, vmsPerHost, mix, day, seed, labVms, moveEvery);
  }

  public PipelineSettings pipeline(boolean restartOnFailure) {
    return new PipelineSettings(parallelism, taskManagers, checkpointInterval, restartOnFailure,
        AnalyticsSettings.defaults().withPlanner(PlannerJobSettings.defaults().withPlanner(planner()))
            .withEventTime(EventTime.defaults().withOutOfOrderness(outOfOrderness)),
        new CoordinatorSettings(cooldown, CoordinatorSettings.defaults().decisionMemory(), HostActions.dryRun()), flinkMetricsPort);
  }

  /** The planner's settings: its cycle, paging and cool-down as told, its prices over the fleet's day. */
  public PlannerSettings planner() {
    return PlannerSettings.defaults().toBuilder().cycle(planEvery).pageOutMinIdle(pageOutAfter).cooldown(cooldown)
        .costs(CostModel.defaults().overDay(day)).build();
  }
}
