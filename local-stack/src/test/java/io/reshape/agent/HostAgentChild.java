package io.reshape.agent;

import io.reshape.actuator.executor.ExecutorConfig;
import io.reshape.collectors.CollectorConfig;
import io.reshape.host.QmpConnections;
import io.reshape.host.lab.LabVms;
import io.reshape.schemas.serde.TrustedPackages;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A host agent in a child JVM a test can kill: {@code main} takes the agent's environment as
 * {@code NAME=value} arguments (its roles, {@code RESHAPE_AGENT_ROLES}, and lab VMs,
 * {@code RESHAPE_LAB_VMS}, among them), and runs until it is killed.
 */
public final class HostAgentChild {

  private HostAgentChild() {}

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
