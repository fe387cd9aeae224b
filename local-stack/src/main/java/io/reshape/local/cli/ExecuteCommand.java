package io.reshape.local.cli;

import io.reshape.agent.HostAgent;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code reshape execute}: the host agent's executor alone, configured from the environment. */
@Command(name = "execute", mixinStandardHelpOptions = true,
    description = {
        "Runs the executor on this KVM host: applies this host's commands exactly once, through the real drivers its",
        "allowlist grants (RESHAPE_HOST_ACTIONS, e.g. host-1=PAGE_OUT+SWAP_IN), everything else in dry run. Configured",
        "from the environment: KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, RESHAPE_HOST_ID, RESHAPE_JOURNAL_DIR,",
        "RESHAPE_HOST_ACTIONS, RESHAPE_MIGRATION_* and RESHAPE_KSM_* (see README).",
        "On a host where the collector runs too, run 'reshape agent' instead: QEMU serves one QMP client per VM."})
public final class ExecuteCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    HostAgent.run(EnumSet.of(HostAgent.Role.EXECUTOR));
    return 0;
  }
}
