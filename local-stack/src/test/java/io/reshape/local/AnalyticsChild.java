package io.reshape.local;

import io.reshape.jobs.analytics.AnalyticsJobs;
import io.reshape.jobs.analytics.AnalyticsSettings;
import io.reshape.jobs.planner.PlannerJobSettings;
import io.reshape.local.process.ChildJvm;
import io.reshape.planner.CostModel;
import io.reshape.planner.PlannerSettings;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.registry.RegistryConfig;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.jobmaster.JobResult;

/**
 * The analytics job (every analytics job in one Flink job, as the pipeline runs it) in a MiniCluster
 * of its own, in a child JVM that a test can kill; checkpoints are taken when the test asks, through
 * the MiniCluster's REST API. {@link #main} is the child's entry point; the rest is the test's side.
 */
public final class AnalyticsChild implements AutoCloseable {

  /** The planner's cycles: every 10 s of event time, at 5 s past. */
  static final Duration CYCLE = Duration.ofSeconds(10);
  static final Duration CYCLE_OFFSET = Duration.ofSeconds(5);

  /**
   * A planner whose only lever with anything to do is paging, on a test's short event time: an idle
   * VM is worth paging out after a second (swap costs nothing; energy too, so no host is worth
   * emptying), and a decision lasts half a cycle: with no actuator, it expires unapplied before the
   * next cycle, which decides it again.
   */
  static final AnalyticsSettings SETTINGS = AnalyticsSettings.defaults().withPlanner(PlannerJobSettings.defaults().withPlanner(
      PlannerSettings.defaults().toBuilder()
          .cycle(CYCLE).cycleOffset(CYCLE_OFFSET).decisionLifetime(CYCLE.dividedBy(2)).pageOutMinIdle(Duration.ofSeconds(1))
          .costs(new CostModel(0, 0.004, 0.002, 0, 0.5, 0.05, 0, Duration.ofHours(4)))
          .build()));
  /**
   * One task per operator, so that every output follows from the input alone. At parallelism 2 a
   * keyed operator reads two channels; when the input resumes after an idle spell, one channel can
   * carry the watermark past records still on their way in the other, which then come late.
   */
  private static final int PARALLELISM = 1;
  private static final Duration STARTUP = Duration.ofSeconds(120);

  private final ChildJvm process;
  private final RestClusterClient<StandaloneClusterId> client;
  private final CheckpointedJob job;

  private AnalyticsChild(ChildJvm process, RestClusterClient<StandaloneClusterId> client, CheckpointedJob job) {
    this.process = process;
    this.client = client;
    this.job = job;
  }

  /**
   * Starts the child and waits until its job and every task of it run.
   *
   * @param name names the child's log and its directory under {@code dir}
   * @param checkpoints where the job's checkpoints go
   * @param restoreFrom a retained checkpoint to start from; null to start afresh
   */
  static AnalyticsChild start(String name, KafkaConnection kafka, Path checkpoints, Path restoreFrom, Path dir) throws Exception {
    Path work = dir.resolve(name);
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    int restPort = FreePorts.next();
    List<String> args = new ArrayList<>(List.of(kafka.bootstrapServers(), kafka.registryProperties().get(RegistryConfig.URL),
        checkpoints.toString(), Integer.toString(restPort)));
    if (restoreFrom != null) {
      args.add(restoreFrom.toString());
    }
    ChildJvm process = ChildJvm.start(name, jvmOptions(tmp), List.of(System.getProperty("java.class.path").split(File.pathSeparator)),
        AnalyticsChild.class.getName(), args, work);
    RestClusterClient<StandaloneClusterId> client = null;
    try {
      client = CheckpointedJob.client(URI.create("http://127.0.0.1:" + restPort));
      RestClusterClient<StandaloneClusterId> rest = client;
      AtomicReference<CheckpointedJob> job = new AtomicReference<>();
      process.awaitReady(STARTUP, () -> {
        job.set(CheckpointedJob.runningOnlyJob(rest, checkpoints).orElse(null));
        return job.get() != null;
      });
      return new AnalyticsChild(process, client, job.get());
    } catch (Exception e) {
      if (client != null) {
        client.close();
      }
      process.close();
      throw e;
    }
  }

  /**
   * This JVM's options that the child needs as well: the packages Flink reaches into on Java 17 and
   * the system properties (Avro's trusted packages among them). Flink's temporary files (RocksDB's
   * among them) go to {@code tmp}, which the test owns: a killed child cannot remove them.
   */
  private static List<String> jvmOptions(Path tmp) {
    Stream<String> inherited = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(option -> option.startsWith("--add-opens") || option.startsWith("-D"));
    return Stream.concat(inherited, Stream.of("-Xmx1g", "-Djava.io.tmpdir=" + tmp)).toList();
  }

  CheckpointedJob job() {
    return job;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String logTail() {
    return process.logTail(40);
  }

  /**
   * Kills the child at once: SIGKILL on Linux, so no shutdown hook runs and nothing is flushed,
   * committed or aborted on the way out.
   *
   * @return the child's exit status (128 + the signal's number for a process a signal ended)
   */
  int kill() throws InterruptedException {
    ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    return process.waitFor(Duration.ofSeconds(30));
  }

  @Override
  public void close() {
    client.close();
    process.close();
  }

  /**
   * Arguments: Kafka's bootstrap servers, the registry's URL, the checkpoint directory, the REST
   * port, and a checkpoint to restore (optional).
   */
  public static void main(String[] args) throws Exception {
    KafkaConnection kafka = KafkaConnection.of(args[0], args[1]);
    Path restoreFrom = args.length > 4 ? Path.of(args[4]) : null;
    try (OwnedMiniCluster flink = OwnedMiniCluster.start(PARALLELISM, Path.of(args[2]), Integer.parseInt(args[3]))) {
      CheckpointedJob job = flink.submit(AnalyticsJobs.NAME, env -> AnalyticsJobs.addTo(env, kafka, SETTINGS), restoreFrom);
      // The job runs until the test kills this process; should it end first, the process says why and ends too.
      JobResult result = flink.awaitEnd(job.id());
      throw new IllegalStateException("The analytics job ended: " + result.getApplicationStatus(),
          result.getSerializedThrowable().orElse(null));
    }
  }
}
