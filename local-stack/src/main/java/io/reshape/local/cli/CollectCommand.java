package io.reshape.local.cli;

import io.reshape.agent.HostAgent;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code reshape collect}: the host agent's collector alone, configured from the environment. */
@Command(name = "collect", mixinStandardHelpOptions = true,
    description = {
        "Runs the collector on this KVM host: finds the QEMU guests, reads their signals and publishes them to Kafka",
        "through an on-disk spool. Configured from the environment: KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL,",
        "RESHAPE_HOST_ID, RESHAPE_SPOOL_DIR, RESHAPE_SOURCES, RESHAPE_QUANTA_INTERVAL_MS, RESHAPE_METRICS_PORT (see README).",
        "On a host where the executor runs too, run 'reshape agent' instead: QEMU serves one QMP client per VM."})
public final class CollectCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    HostAgent.run(EnumSet.of(HostAgent.Role.COLLECTOR));
    return 0;
  }
}
