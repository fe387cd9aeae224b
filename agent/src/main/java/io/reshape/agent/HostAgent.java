package io.reshape.agent;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reshape.actuator.executor.ExecutorAgent;
import io.reshape.actuator.executor.ExecutorConfig;
import io.reshape.collectors.CollectorAgent;
import io.reshape.collectors.CollectorConfig;
import io.reshape.host.QmpConnections;
import io.reshape.host.lab.KvmLabVm;
import io.reshape.host.lab.LabVms;
import io.reshape.observability.ProcessMeters;
import io.reshape.observability.RunningService;
import io.reshape.observability.ServiceEndpoints;
import io.reshape.schemas.serde.TrustedPackages;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs on a KVM host: the collector and the executor, in one process so that they share one
 * QMP client per VM (QEMU serves one client per monitor, and the collector reads through it all
 * the time while a migration needs it too). Configured from the environment (see
 * {@link CollectorConfig} and {@link ExecutorConfig}); {@code RESHAPE_AGENT_ROLES} says which of
 * the two run ({@code collector,executor}, the default).
 *
 * <p>{@code RESHAPE_LAB_VMS=N} makes the agent a host of lab VMs too: it starts N VMs of its own
 * under KVM ({@code HOST-lab-01} ...), the collector runs their workloads and publishes what KVM
 * saw, and the executor pages and migrates them (with reuse of the image a host kept). 0 starts
 * none, and still takes lab VMs that migrate here. {@code RESHAPE_SIMULATED_FLEET} makes it stand
 * for a simulated fleet instead ({@link SimulatedFleetMode}).
 *
 * <p>The process has one HTTP endpoint, on {@code RESHAPE_METRICS_ADDRESS}:{@code
 * RESHAPE_METRICS_PORT} (default 0.0.0.0:9464): {@code /metrics} with the meters of both roles,
 * {@code /health} unhealthy as soon as one of them is.
 */
public final class HostAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HostAgent.class);
  private static final Duration LONGEST_STOP = Duration.ofSeconds(60);

  /** The parts a host agent can run. */
  public enum Role { COLLECTOR, EXECUTOR }

  private static final String LAB_VMS = "RESHAPE_LAB_VMS";

  private final Deque<RunningService> parts = new ArrayDeque<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private ServiceEndpoints endpoints;

  private HostAgent() {}

  /**
   * Starts the roles asked for; a role that cannot start stops those started before it.
   *
   * @param monitors the QMP clients the roles share
   * @param lab the lab VMs this agent runs, if it runs any; the roles share them, and the agent
   *     does not close them
   */
  public static HostAgent start(Set<Role> roles, CollectorConfig collector, ExecutorConfig executor, Clock clock,
      QmpConnections monitors, Optional<LabVms> lab) throws Exception {
    return start(roles, collector, executor, meters -> CollectorAgent.start(collector, monitors, lab, meters),
        meters -> ExecutorAgent.start(executor, clock, monitors, lab, meters));
  }

  /** Starts the roles asked for on behalf of a simulated fleet: its samples, and its commands in dry run. */
  public static HostAgent startSimulated(Set<Role> roles, SimulatedFleetMode fleet, CollectorConfig collector,
      ExecutorConfig executor, Clock clock) throws Exception {
    LOG.info("Simulated fleet: {}", fleet);
    return start(roles, collector, executor, meters -> fleet.startCollecting(collector, meters),
        meters -> ExecutorAgent.dryRunForEveryHost(executor, clock, meters));
  }

  /** What starts one part of the agent, its meters in the agent's registry. */
  private interface Part {
    RunningService start(PrometheusMeterRegistry meters) throws Exception;
  }

  private static HostAgent start(Set<Role> roles, CollectorConfig collector, ExecutorConfig executor, Part collecting,
      Part executing) throws Exception {
    HostAgent agent = new HostAgent();
    PrometheusMeterRegistry meters = ProcessMeters.registry();
    try {
      if (roles.contains(Role.COLLECTOR)) {
        LOG.info("Reshape collector: {}", collector);
        agent.parts.push(collecting.start(meters));
      }
      if (roles.contains(Role.EXECUTOR)) {
        LOG.info("Reshape executor: {}", executor);
        agent.parts.push(executing.start(meters));
      }
      agent.endpoints = ServiceEndpoints.start(collector.metricsAddress(), collector.metricsPort(), meters, agent::unhealthy);
      LOG.info("Metrics and health on port {}", agent.endpoints.port());
      return agent;
    } catch (Exception e) {
      agent.close();
      throw e;
    }
  }

  /** Reads {@code RESHAPE_AGENT_ROLES}: comma-separated roles, both when absent. */
  public static Set<Role> roles(String list) {
    if (list == null || list.isBlank()) {
      return EnumSet.allOf(Role.class);
    }
    return Arrays.stream(list.split(",")).map(String::trim).filter(r -> !r.isEmpty()).map(r -> {
      try {
        return Role.valueOf(r.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("RESHAPE_AGENT_ROLES: no role '" + r + "'; there are collector and executor");
      }
    }).collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
  }

  /**
   * The lab VMs {@code RESHAPE_LAB_VMS} asks for, started: none (and no lab hosting) when it is
   * not set.
   *
   * @throws IllegalArgumentException when it is not a count, or this host cannot run VMs through /dev/kvm
   */
  public static Optional<LabVms> labVms(String count, String hostId) {
    if (count == null || count.isBlank()) {
      return Optional.empty();
    }
    int vms;
    try {
      vms = Integer.parseInt(count.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(LAB_VMS + ": '" + count + "' is not a number of VMs");
    }
    if (vms < 0 || !KvmLabVm.usable()) {
      throw new IllegalArgumentException(LAB_VMS + "=" + count + ": " + (vms < 0 ? "not a number of VMs"
          : "lab VMs need read-write /dev/kvm, which this host does not give"));
    }
    LabVms lab = new LabVms();
    for (int i = 1; i <= vms; i++) {
      lab.start(String.format("%s-lab-%02d", hostId, i), KvmLabVm.MAX_PAGES);
    }
    return Optional.of(lab);
  }

  /** Why a role cannot do its work now, if one cannot. */
  public Optional<String> unhealthy() {
    return parts.stream().map(RunningService::unhealthy).flatMap(Optional::stream).reduce((a, b) -> a + "; " + b);
  }

  /** The port of the metrics and health endpoint. */
  public int metricsPort() {
    return endpoints.port();
  }

  /** Stops the endpoint, then the parts, last started first. */
  @Override
  public void close() throws Exception {
    try {
      if (endpoints != null) {
        endpoints.close();
      }
      while (!parts.isEmpty()) {
        parts.pop().close();
      }
    } finally {
      closed.countDown();
    }
  }

  /** Runs the roles {@code roles} until SIGTERM, then stops them cleanly. */
  public static void run(Set<Role> roles) throws Exception {
    Map<String, String> env = System.getenv();
    CollectorConfig collector = CollectorConfig.fromEnv(env);
    ExecutorConfig executor = ExecutorConfig.fromEnv(env);
    Optional<SimulatedFleetMode> fleet = SimulatedFleetMode.fromEnv(env);
    if (fleet.isPresent()) {
      try (HostAgent agent = startSimulated(roles, fleet.get(), collector, executor, Clock.systemUTC())) {
        agent.awaitStop(roles);
      }
      return;
    }
    Optional<LabVms> lab = labVms(env.get(LAB_VMS), collector.hostId());
    lab.ifPresent(vms -> LOG.info("Lab VMs of this host: {}", vms.running().keySet()));
    try (LabVms labVms = lab.orElseGet(LabVms::new);
         QmpConnections monitors = new QmpConnections(collector.qmpTimeout());
         HostAgent agent = start(roles, collector, executor, Clock.systemUTC(), monitors, lab)) {
      agent.awaitStop(roles);
    }
  }

  /**
   * Waits for SIGTERM; the shutdown hook then waits (a bounded time) for the caller to have closed
   * the agent, so that the spool and the journal are closed before the JVM ends.
   */
  private void awaitStop(Set<Role> roles) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopped.countDown();
      try {
        closed.await(LONGEST_STOP.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "host-agent-shutdown"));
    LOG.info("Host agent running: {}", roles);
    stopped.await();
  }

  public static void main(String[] args) throws Exception {
    TrustedPackages.trustEvents();
    Set<Role> roles;
    try {
      roles = roles(System.getenv("RESHAPE_AGENT_ROLES"));
    } catch (IllegalArgumentException e) {
      // A setting the user can fix: what is wrong, without a stack trace.
      System.err.println("reshape-agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    run(roles);
  }
}
