package io.reshape.actuator.executor;

import io.reshape.events.HostCommand;

/** Carries out commands on a host: through QMP, madvise, KSM's sysfs, or not at all (dry run). */
public interface Driver {

  /** The name actuations are signed with. */
  String name();

  /** Applies one command. An exception means the command failed; it will not be retried. */
  DriverResult apply(HostCommand command) throws Exception;
}
