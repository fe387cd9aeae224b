package io.reshape.actuator;

import io.reshape.events.Actuation;
import io.reshape.events.Decision;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import java.time.Instant;

/** Builds the outcome records of decisions and commands. */
public final class Actuations {

  /** What the coordinator signs its outcomes with. */
  public static final String COORDINATOR = "coordinator";
  /** What an executor signs the commands it refuses on arrival with. */
  public static final String EXECUTOR = "executor";

  private Actuations() {}

  /** A decision the coordinator refused or found expired; no command was issued. */
  public static Actuation refused(Decision decision, Outcome outcome, String reason, Instant at) {
    return Actuation.newBuilder()
        .setDecisionId(decision.getDecisionId())
        .setCommandId(null)
        .setAction(decision.getAction())
        .setVmId(decision.getVmId())
        .setHostId(decision.getHostId())
        .setOutcome(outcome)
        .setDecidedAt(decision.getCreatedAt())
        .setStartedAt(null)
        .setFinishedAt(at)
        .setDriver(COORDINATOR)
        .setDetail(reason)
        .build();
  }

  /** The outcome of a command on its host. */
  public static Actuation ofCommand(HostCommand command, Outcome outcome, String driver, String detail,
      Instant startedAt, Instant finishedAt) {
    return Actuation.newBuilder()
        .setDecisionId(command.getDecisionId())
        .setCommandId(command.getCommandId())
        .setAction(command.getAction())
        .setVmId(command.getVmId())
        .setHostId(command.getHostId())
        .setOutcome(outcome)
        .setDecidedAt(command.getDecidedAt())
        .setStartedAt(startedAt)
        .setFinishedAt(finishedAt)
        .setDriver(driver)
        .setDetail(detail)
        .build();
  }
}
