package io.reshape.actuator;

import io.reshape.actuator.executor.Driver;
import io.reshape.actuator.executor.DriverResult;
import io.reshape.actuator.executor.DryRunDriver;
import io.reshape.events.HostCommand;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The dry-run driver, recording the id of every command that reaches it. */
public final class CountingDriver implements Driver {

  private final DryRunDriver dryRun = new DryRunDriver();
  private final List<String> applied = new CopyOnWriteArrayList<>();

  /** The ids of the commands applied, in order. */
  public List<String> applied() {
    return List.copyOf(applied);
  }

  @Override
  public String name() {
    return dryRun.name();
  }

  @Override
  public DriverResult apply(HostCommand command, Progress progress) {
    applied.add(command.getCommandId());
    return dryRun.apply(command, progress);
  }

  @Override
  public DriverResult reconcile(HostCommand command) {
    return dryRun.reconcile(command);
  }
}
