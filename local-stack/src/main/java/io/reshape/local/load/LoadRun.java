package io.reshape.local.load;

import io.reshape.actuator.coordinator.CoordinatorTopology;
import io.reshape.actuator.executor.ExecutorSettings;
import io.reshape.events.Decision;
import io.reshape.local.LocalRun;
import io.reshape.local.ProgressMonitor.Seen;
import io.reshape.local.RunConfig;
import io.reshape.local.RunReport;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A local run as a load test: the probe samples it every report interval, a line says how it goes,
 * and the report at the end gives the figures and the verdict.
 */
public final class LoadRun {

  /** What the collectors write: the load. */
  public static final List<Topic<?>> INPUTS = List.of(Topics.QUANTA, Topics.DIRTY_PAGES, Topics.TRAFFIC, Topics.PAGE_FINGERPRINTS,
      Topics.INVENTORY);
  /** What the monitor reads in a load run: everything but the inputs, which would be load of its own. */
  public static final List<Topic<?>> WATCHED = Topics.ALL.stream().filter(t -> !INPUTS.contains(t)).toList();

  private final LocalRun run;
  private final RunConfig config;
  private final Duration reportEvery;
  private final LoadFigures figures;

  public LoadRun(LocalRun run, RunConfig config, Duration reportEvery, Duration lagLimit) {
    this.run = run;
    this.config = config;
    this.reportEvery = reportEvery;
    int vms = run.fleet().map(fleet -> fleet.vmCount()).orElse(config.hosts() * config.vmsPerHost());
    this.figures = new LoadFigures(vms, INPUTS.stream().map(Topic::name).collect(Collectors.toSet()), lagLimit,
        config.checkpointInterval());
  }

  /** Runs until the run's duration has passed or {@code stop} says so; 0 when every stage kept up. */
  public int run(PrintStream out, BooleanSupplier stop) throws Exception {
    Path checkpoints = run.stack().dir().resolve("pipeline").resolve("checkpoints");
    Set<String> streams = Set.of(CoordinatorTopology.APPLICATION_ID, ExecutorSettings.applicationId(Set.of()));
    try (LoadProbe probe = new LoadProbe(run.stack().connection(), streams, checkpoints)) {
      figures.add(probe.sample());
      Instant end = run.fleetStart().plus(config.duration());
      while (!stop.getAsBoolean() && Instant.now().isBefore(end)) {
        Thread.sleep(Math.min(reportEvery.toMillis(), Math.max(1, Duration.between(Instant.now(), end).toMillis())));
        String line = figures.add(probe.sample());
        out.printf(Locale.ROOT, "[%4ds] %s | %s%n", Duration.between(run.fleetStart(), Instant.now()).toSeconds(), line,
            latency(run.monitor().snapshot().decisions()));
        String failure = run.pipeline().failure();
        if (failure != null) {
          out.println("The pipeline stopped working: " + failure);
          return 1;
        }
      }
      out.println();
      out.println("──── Reshape load report ────");
      out.printf(Locale.ROOT, "Fleet         %,d VMs on %,d hosts, %d ms intervals, for %d s; Flink parallelism %d on %d "
          + "TaskManager(s), checkpoints every %d ms, records up to %d ms out of order%n",
          run.fleet().map(fleet -> fleet.vmCount()).orElse(0), run.fleet().map(fleet -> fleet.hostCount()).orElse(0),
          config.interval().toMillis(), Duration.between(run.fleetStart(), Instant.now()).toSeconds(), config.parallelism(),
          config.taskManagers(), config.checkpointInterval().toMillis(), config.outOfOrderness().toMillis());
      out.println("Latency       " + latency(run.monitor().snapshot().decisions()));
      figures.report().forEach(out::println);
      run.stopFleet();
      return figures.behind().isEmpty() ? 0 : 3;
    }
  }

  /** Sample to decision: how long after the event time of its planning cycle each decision became visible. */
  private static String latency(List<Seen<Decision>> decisions) {
    return String.format(Locale.ROOT, "%,d decisions, %s", decisions.size(),
        RunReport.latency(decisions, Decision::getCreatedAt, "sample to decision"));
  }
}
