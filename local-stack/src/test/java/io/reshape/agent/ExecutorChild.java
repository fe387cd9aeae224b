package io.reshape.agent;

import io.reshape.actuator.executor.ExecutorConfig;
import io.reshape.collectors.CollectorConfig;
import io.reshape.host.QmpConnections;
import io.reshape.schemas.serde.TrustedPackages;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A host agent running only its executor, in a child JVM a test can kill: {@code main} takes the
 * agent's environment as {@code NAME=value} arguments, and runs until it is killed.
 */
public final class ExecutorChild {

  private ExecutorChild() {}

  public static void main(String[] args) throws Exception {
    TrustedPackages.trustEvents();
    Map<String, String> env = new HashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      env.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    QmpConnections monitors = new QmpConnections(Duration.ofSeconds(5));
    HostAgent.start(EnumSet.of(HostAgent.Role.EXECUTOR), CollectorConfig.fromEnv(env), ExecutorConfig.fromEnv(env),
        Clock.systemUTC(), monitors, Optional.empty());
    Thread.sleep(Long.MAX_VALUE);
  }
}
