package io.reshape.actuator.executor;

import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;

/** Carries out commands on a host: through QMP, madvise, KSM's sysfs, or not at all (dry run). */
public interface Driver {

  /** How far a command got, reported while it runs. */
  @FunctionalInterface
  interface Progress {

    /** @param done the share of the work done, 0 to 1 */
    void report(double done, String detail);
  }

  /** The name actuations are signed with. */
  String name();

  /**
   * Commands in one lane run one after another, in the order accepted; lanes run side by side. By
   * default a lane is a VM (host-wide actions share one): two actions on one VM must not overlap.
   */
  default String lane(HostCommand command) {
    return command.getVmId() == null ? "" : command.getVmId();
  }

  /**
   * Applies one command, checking its preconditions before any side effect. It may take as long as
   * the command's deadline allows; an interrupt means the deadline passed and it should stop. An
   * exception means the command failed; it will not be retried.
   */
  DriverResult apply(HostCommand command, Progress progress) throws Exception;

  /**
   * Settles a command this executor began and never finished (it stopped, or the deadline passed),
   * from the facts on the host: applied, failed, finished or rolled back. IN_DOUBT only where the
   * facts cannot tell; never applies the command again.
   */
  default DriverResult reconcile(HostCommand command) throws Exception {
    return new DriverResult(Outcome.IN_DOUBT, "The executor stopped while applying this command and the " + name()
        + " driver cannot tell from the host whether it took effect; it is not applied again");
  }
}
