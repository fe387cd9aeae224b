package io.reshape.actuator.executor;

import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Changes nothing: records what a real driver would have done. */
public final class DryRunDriver implements Driver {

  private static final Logger LOG = LoggerFactory.getLogger(DryRunDriver.class);

  @Override
  public String name() {
    return "dry-run";
  }

  @Override
  public DriverResult apply(HostCommand command, Progress progress) {
    String what = switch (command.getAction()) {
      case PAGE_OUT -> "page out VM " + command.getVmId();
      case SWAP_IN -> "swap VM " + command.getVmId() + " back in";
      case ENABLE_KSM -> "turn KSM on";
      case DISABLE_KSM -> "turn KSM off";
      case MIGRATE -> "migrate VM " + command.getVmId() + " to " + command.getDestinationHostId();
      case PROBE_IDLE -> "probe whether VM " + command.getVmId() + " is idle by cutting its CPU";
      // The executor refuses unknown actions before any driver; a caller that did not is wrong.
      case UNKNOWN -> throw new IllegalArgumentException("An unknown action cannot be carried out, not even in a dry run");
    };
    String detail = "Would " + what + " on " + command.getHostId()
        + (command.getParameters().isEmpty() ? "" : " with " + command.getParameters());
    LOG.info("[dry run] {} (decision {})", detail, command.getDecisionId());
    return new DriverResult(Outcome.DRY_RUN, detail);
  }

  /** A dry run changes nothing, so an interrupted one ended as any other: with nothing done. */
  @Override
  public DriverResult reconcile(HostCommand command) {
    return apply(command, (done, detail) -> { });
  }
}
