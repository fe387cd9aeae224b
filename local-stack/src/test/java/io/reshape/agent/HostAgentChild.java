package io.reshape.agent;

import io.reshape.actuator.executor.ExecutorConfig;
import io.reshape.collectors.CollectorConfig;
import io.reshape.host.QmpConnections;
import io.reshape.host.lab.LabVms;
import io.reshape.local.process.ChildJvm;
import io.reshape.schemas.serde.TrustedPackages;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A host agent in a child JVM a test can kill: {@code main} takes the agent's environment as
 * {@code NAME=value} arguments (its roles, {@code RESHAPE_AGENT_ROLES}, and lab VMs,
 * {@code RESHAPE_LAB_VMS}, among them), and runs until it is killed.
 */
public final class HostAgentChild {

  private HostAgentChild() {}

  /** Starts a host agent in a child JVM on this JVM's classpath, its environment as {@code NAME=value}, its files in {@code dir}. */
  static ChildJvm start(String name, List<String> env, Path dir) {
    return ChildJvm.start(name, List.of("-Xmx256m"), List.of(System.getProperty("java.class.path").split(File.pathSeparator)),
        HostAgentChild.class.getName(), env, dir);
  }

  /** Runs {@code awaiting}; should it fail, the failure says what the child agent logged. */
  static <T> T withLogOf(ChildJvm agent, Supplier<T> awaiting) {
    try {
      return awaiting.get();
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + agent.name() + " logged:\n" + agent.logTail(40), e);
    }
  }

  static void withLogOf(ChildJvm agent, Runnable awaiting) {
    withLogOf(agent, () -> {
      awaiting.run();
      return null;
    });
  }

  public static void main(String[] args) throws Exception {
    TrustedPackages.trustEvents();
    Map<String, String> env = new HashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      env.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    CollectorConfig collector = CollectorConfig.fromEnv(env);
    Optional<LabVms> lab = HostAgent.labVms(env.get("RESHAPE_LAB_VMS"), collector.hostId());
    QmpConnections monitors = new QmpConnections(Duration.ofSeconds(5));
    HostAgent.start(HostAgent.roles(env.get("RESHAPE_AGENT_ROLES")), collector, ExecutorConfig.fromEnv(env), Clock.systemUTC(),
        monitors, lab);
    Thread.sleep(Long.MAX_VALUE);
  }
}
