package io.reshape.local.cli;

import io.reshape.collectors.CollectorAgent;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code reshape collect}: the host agent, configured from the environment. */
@Command(name = "collect", mixinStandardHelpOptions = true,
    description = {
        "Runs the collector on this KVM host: finds the QEMU guests, reads their signals and publishes them to Kafka",
        "through an on-disk spool. Configured from the environment: KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL,",
        "RESHAPE_HOST_ID, RESHAPE_SPOOL_DIR, RESHAPE_SOURCES, RESHAPE_QUANTA_INTERVAL_MS, RESHAPE_METRICS_PORT (see README)."})
public final class CollectCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    CollectorAgent.main(new String[0]);
    return 0;
  }
}
