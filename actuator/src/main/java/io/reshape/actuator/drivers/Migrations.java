package io.reshape.actuator.drivers;

import io.reshape.events.HostCommand;

/** What the migration drivers share: which side a host plays, the port, the reuse-aware estimate. */
final class Migrations {

  private Migrations() {}

  /** Whether the command's host is the destination: a MIGRATE reaches both hosts. */
  static boolean receiving(HostCommand command) {
    return command.getHostId().equals(command.getDestinationHostId());
  }

  /** Where the destination takes this migration: a port of its own, so that migrations side by side do not meet. */
  static int port(HostCommand command, int firstPort, int ports) {
    return firstPort + Math.floorMod(command.getDecisionId().hashCode(), ports);
  }

  /** What a migration that reuses the destination's old image would have sent, as the planner estimated it. */
  static String reuseEstimate(HostCommand command) {
    String bytes = command.getParameters().get("bytesToSend");
    return bytes == null ? "" : " (reuse-aware: " + PagingDriver.mib(Long.parseLong(bytes)) + ")";
  }
}
