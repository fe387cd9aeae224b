package io.reshape.local.cli;

import io.reshape.collectors.sim.FleetSpec;
import io.reshape.collectors.sim.Workload;
import io.reshape.host.lab.KvmLabVm;
import io.reshape.local.LocalRun;
import io.reshape.local.ProgressMonitor.Snapshot;
import io.reshape.local.RunConfig;
import io.reshape.local.RunReport;
import io.reshape.local.load.LoadRun;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.RegistryConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reshape run}: the whole pipeline on this machine, with a simulated fleet. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
        "Starts a Kafka broker and a schema registry on this machine, the Flink jobs and the actuator (dry run),",
        "and a simulated fleet; shows what happens every few seconds and ends with a report.",
        "Every option can also be set with the environment variable named in its description."})
public final class RunCommand implements Callable<Integer> {

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(3);

  @Option(names = "--duration", converter = DurationConverter.class, defaultValue = "${env:RESHAPE_DURATION:-90s}",
      description = "How long the fleet runs (RESHAPE_DURATION, default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--hosts", defaultValue = "${env:RESHAPE_HOSTS:-4}",
      description = "Simulated hosts (RESHAPE_HOSTS, default ${DEFAULT-VALUE}).")
  int hosts;

  @Option(names = "--vms-per-host", defaultValue = "${env:RESHAPE_VMS_PER_HOST:-8}",
      description = "Simulated VMs per host (RESHAPE_VMS_PER_HOST, default ${DEFAULT-VALUE}).")
  int vmsPerHost;

  @Option(names = "--mix", split = ",", description = "Workload shares, e.g. IDLE=0.4,STEADY=0.25,BURSTY=0.2,DIURNAL=0.15 (the default).")
  Map<Workload, Double> mix;

  @Option(names = "--interval", converter = DurationConverter.class, defaultValue = "${env:RESHAPE_INTERVAL:-1s}",
      description = "Collector interval (RESHAPE_INTERVAL, default ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--speed", defaultValue = "${env:RESHAPE_SPEED:-1}",
      description = "Simulated seconds per wall second (RESHAPE_SPEED, default ${DEFAULT-VALUE}).")
  double speed;

  @Option(names = "--day", converter = DurationConverter.class, defaultValue = "${env:RESHAPE_DAY:-10m}",
      description = "Length of a simulated day for diurnal VMs (RESHAPE_DAY, default ${DEFAULT-VALUE}).")
  Duration day;

  @Option(names = "--seed", defaultValue = "${env:RESHAPE_SEED:-42}",
      description = "Seed of the fleet (RESHAPE_SEED, default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--lab-vms", defaultValue = "${env:RESHAPE_LAB_VMS:-4}",
      description = {"VMs run under KVM by the fleet itself, on host lab-01: their dirty pages are KVM's log of real writes",
          "(RESHAPE_LAB_VMS, default ${DEFAULT-VALUE}; none where /dev/kvm is not usable, which is said)."})
  int labVms;

  @Option(names = "--move-every", converter = DurationConverter.class, defaultValue = "${env:RESHAPE_MOVE_EVERY:-20s}",
      description = {"Simulated time between two live migrations in the fleet; a VM that moves comes back at the next one,",
          "where the image it left is reused (RESHAPE_MOVE_EVERY, default ${DEFAULT-VALUE}; 0s for none)."})
  Duration moveEvery;

  @Option(names = "--plan-every", converter = DurationConverter.class, defaultValue = "${env:RESHAPE_PLAN_EVERY:-10s}",
      description = "How often the planner plans, in the fleet's time (RESHAPE_PLAN_EVERY, default ${DEFAULT-VALUE}).")
  Duration planEvery;

  @Option(names = "--page-out-after", converter = DurationConverter.class, defaultValue = "${env:RESHAPE_PAGE_OUT_AFTER:-20s}",
      description = {"Least idle time, predicted to remain or so far, before a VM is paged out; the planner also weighs what",
          "paging saves against what it costs (RESHAPE_PAGE_OUT_AFTER, default ${DEFAULT-VALUE})."})
  Duration pageOutAfter;

  @Option(names = "--cooldown", converter = DurationConverter.class, defaultValue = "${env:RESHAPE_COOLDOWN:-30s}",
      description = "Least time between two actions on one VM (RESHAPE_COOLDOWN, default ${DEFAULT-VALUE}).")
  Duration cooldown;

  @Option(names = "--out-of-orderness", converter = DurationConverter.class,
      defaultValue = "${env:RESHAPE_OUT_OF_ORDERNESS:-2s}",
      description = {"How far behind the newest record of its partition a record may come and still count; later ones are",
          "dead letters. Every decision waits this long for its instant's records (RESHAPE_OUT_OF_ORDERNESS, default",
          "${DEFAULT-VALUE})."})
  Duration outOfOrderness;

  @Option(names = "--parallelism", defaultValue = "${env:RESHAPE_PARALLELISM:-2}",
      description = "Flink parallelism (RESHAPE_PARALLELISM, default ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--task-managers", defaultValue = "${env:RESHAPE_TASK_MANAGERS:-1}",
      description = {"Flink TaskManagers in the local cluster, sharing the parallelism's slots (RESHAPE_TASK_MANAGERS,",
          "default ${DEFAULT-VALUE})."})
  int taskManagers;

  @Option(names = "--checkpoint-interval", converter = DurationConverter.class, defaultValue = "${env:RESHAPE_CHECKPOINT_INTERVAL:-2s}",
      description = {"Flink checkpoint interval; the analytics' records appear when a checkpoint commits, decisions as soon as",
          "made (RESHAPE_CHECKPOINT_INTERVAL, default ${DEFAULT-VALUE})."})
  Duration checkpointInterval;

  @Option(names = "--flink-metrics-port", defaultValue = "${env:RESHAPE_FLINK_METRICS_PORT:-0}",
      description = {"Port of Flink's Prometheus reporter, /metrics of the jobs' metrics; 0 runs none",
          "(RESHAPE_FLINK_METRICS_PORT, default ${DEFAULT-VALUE})."})
  int flinkMetricsPort;

  @Option(names = "--brokers", defaultValue = "${env:RESHAPE_BROKERS:-1}",
      description = {"Kafka brokers to run, each in a process of its own; with three or more, topics have three replicas and",
          "writes need two in sync, so a broker may be killed (RESHAPE_BROKERS, default ${DEFAULT-VALUE})."})
  int brokers;

  @Option(names = "--data-dir", defaultValue = "${env:RESHAPE_DATA_DIR}",
      description = "Keep the stack's data and logs here instead of a temporary directory (RESHAPE_DATA_DIR).")
  Path dataDir;

  @Option(names = "--no-fleet", defaultValue = "${env:RESHAPE_NO_FLEET:-false}",
      description = {"Run without the simulated fleet: the pipeline takes what is published to it, e.g. by 'reshape replay'",
          "pointed at the Kafka and registry addresses printed at start (RESHAPE_NO_FLEET)."})
  boolean noFleet;

  @Option(names = "--load", defaultValue = "${env:RESHAPE_LOAD:-false}",
      description = {"Load mode: every --report-every, events in per second, the stages most behind (consumer lag in records",
          "and seconds), CPU, resident memory and state; at the end each stage's lag p99 and max, sample-to-decision",
          "latency, CPU per 1,000 VMs, memory and state per VM, and a verdict: kept up, or fell behind and where",
          "(RESHAPE_LOAD). The monitor then leaves the input topics alone."})
  boolean load;

  @Option(names = "--report-every", converter = DurationConverter.class, defaultValue = "${env:RESHAPE_REPORT_EVERY:-10s}",
      description = "How often load mode reports (RESHAPE_REPORT_EVERY, default ${DEFAULT-VALUE}).")
  Duration reportEvery;

  @Option(names = "--lag-limit", converter = DurationConverter.class, defaultValue = "${env:RESHAPE_LAG_LIMIT:-2s}",
      description = {"The lag a stage may have and still keep up, in load mode; stages that commit with Flink's checkpoints",
          "may have one checkpoint interval more (RESHAPE_LAG_LIMIT, default ${DEFAULT-VALUE})."})
  Duration lagLimit;

  private volatile boolean stopRequested;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    if (labVms > 0 && !KvmLabVm.usable()) {
      out.println("No lab VMs: /dev/kvm is not usable here (it needs KVM and read-write access); the simulated fleet runs alone.");
      labVms = 0;
    }
    RunConfig config = new RunConfig(duration, hosts, vmsPerHost, mix == null ? FleetSpec.DEFAULT_MIX : mix, interval, speed,
        day, seed, labVms, moveEvery, planEvery, pageOutAfter, cooldown, outOfOrderness, parallelism, taskManagers,
        checkpointInterval, brokers, dataDir, !noFleet, flinkMetricsPort);
    out.println("Reshape local run: " + config);
    out.println("Starting " + (brokers == 1 ? "a Kafka broker" : brokers + " Kafka brokers") + " and a schema registry...");
    // Ctrl-C: let the run stop itself and clean up; the child processes stop with it.
    return GracefulStop.run(() -> stopRequested = true, () -> runAndReport(config, out));
  }

  private int runAndReport(RunConfig config, PrintStream out) throws Exception {
    try (LocalRun run = LocalRun.start(config, true, load ? LoadRun.WATCHED : Topics.ALL)) {
      out.printf("Stack up in %.1f s, pipeline up in %.1f s; the %s runs for %d s (Ctrl-C stops it early).%n",
          run.stackStartup().toMillis() / 1000.0, run.pipelineStartup().toMillis() / 1000.0, noFleet ? "pipeline" : "fleet",
          duration.toSeconds());
      KafkaConnection connection = run.stack().connection();
      out.printf("Kafka at %s, schema registry at %s; to record this run or replay into it from another shell:%n"
          + "  KAFKA_BOOTSTRAP_SERVERS=%1$s SCHEMA_REGISTRY_URL=%2$s ./reshape record|replay FILE%n",
          connection.bootstrapServers(), connection.registryProperties().get(RegistryConfig.URL));
      if (load) {
        return new LoadRun(run, config, reportEvery, lagLimit).run(out, () -> stopRequested);
      }
      Snapshot last = run.monitor().snapshot();
      Instant lastAt = run.fleetStart();
      Instant end = run.fleetStart().plus(duration);
      while (!stopRequested && Instant.now().isBefore(end)) {
        Thread.sleep(Math.min(PROGRESS_EVERY.toMillis(), Math.max(1, Duration.between(Instant.now(), end).toMillis())));
        Snapshot now = run.monitor().snapshot();
        Instant at = Instant.now();
        out.println(RunReport.progressLine(Duration.between(run.fleetStart(), at), last, now, Duration.between(lastAt, at)));
        last = now;
        lastAt = at;
        String failure = run.pipeline().failure();
        if (failure != null) {
          out.println("The pipeline stopped working: " + failure);
          return 1;
        }
      }
      run.stopFleet();
      // Give the last samples time to pass the watermark and a checkpoint.
      Thread.sleep(checkpointInterval.multipliedBy(2).toMillis());
      RunReport.print(out, run, run.monitor().snapshot(), Duration.between(run.fleetStart(), Instant.now()));
      out.println("Stopping...");
    }
    return 0;
  }
}
