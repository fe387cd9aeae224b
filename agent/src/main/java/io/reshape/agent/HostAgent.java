package io.reshape.agent;

import io.reshape.actuator.executor.ExecutorAgent;
import io.reshape.actuator.executor.ExecutorConfig;
import io.reshape.collectors.CollectorAgent;
import io.reshape.collectors.CollectorConfig;
import io.reshape.host.QmpConnections;
import io.reshape.schemas.serde.TrustedPackages;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
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
 */
public final class HostAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HostAgent.class);
  private static final Duration LONGEST_STOP = Duration.ofSeconds(60);

  /** The parts a host agent can run. */
  public enum Role { COLLECTOR, EXECUTOR }

  private final Deque<AutoCloseable> parts = new ArrayDeque<>();

  private HostAgent() {}

  /**
   * Starts the roles asked for; a role that cannot start stops those started before it.
   *
   * @param monitors the QMP clients the roles share
   */
  public static HostAgent start(Set<Role> roles, CollectorConfig collector, ExecutorConfig executor, Clock clock,
      QmpConnections monitors) throws Exception {
    HostAgent agent = new HostAgent();
    try {
      if (roles.contains(Role.COLLECTOR)) {
        LOG.info("Reshape collector: {}", collector);
        agent.parts.push(CollectorAgent.start(collector, monitors));
      }
      if (roles.contains(Role.EXECUTOR)) {
        LOG.info("Reshape executor: {}", executor);
        agent.parts.push(ExecutorAgent.start(executor, clock, monitors));
      }
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

  /** Stops the parts, last started first. */
  @Override
  public void close() throws Exception {
    while (!parts.isEmpty()) {
      parts.pop().close();
    }
  }

  /** Runs the roles {@code roles} until SIGTERM, then stops them cleanly. */
  public static void run(Set<Role> roles) throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopped.countDown();
      try {
        closed.await(LONGEST_STOP.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "host-agent-shutdown"));
    Map<String, String> env = System.getenv();
    CollectorConfig collector = CollectorConfig.fromEnv(env);
    try (QmpConnections monitors = new QmpConnections(collector.qmpTimeout());
         HostAgent agent = start(roles, collector, ExecutorConfig.fromEnv(env), Clock.systemUTC(), monitors)) {
      LOG.info("Host agent running: {}", roles);
      stopped.await();
    } finally {
      closed.countDown();
    }
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
