package io.reshape.local.cli;

import io.reshape.agent.HostAgent;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code reshape agent}: the host agent, collector and executor in one process. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {
        "Runs the host agent on this KVM host: the collector and the executor in one process, sharing one QMP client",
        "per VM. Configured from the environment as 'reshape collect' and 'reshape execute' are;",
        "RESHAPE_AGENT_ROLES=collector or executor runs one of them; RESHAPE_LAB_VMS=N runs N lab VMs of its own under KVM",
        "(see README)."})
public final class AgentCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    HostAgent.run(HostAgent.roles(System.getenv("RESHAPE_AGENT_ROLES")));
    return 0;
  }
}
