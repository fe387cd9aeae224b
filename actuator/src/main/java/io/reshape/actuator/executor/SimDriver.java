package io.reshape.actuator.executor;

import io.reshape.events.HostCommand;
import io.reshape.events.InventoryRecord;
import io.reshape.planner.sim.SimActions;
import java.util.function.Consumer;

/**
 * Carries commands out on a simulated datacenter ({@link SimActions}), as a real driver does on
 * its host, and reports what the datacenter's inventory then shows: a migrated VM on its new host.
 */
public final class SimDriver implements Driver {

  private final SimActions actions;
  private final Consumer<InventoryRecord> observed;

  /**
   * @param observed where the inventory records the actions change go (the simulated collectors' inventory)
   */
  public SimDriver(SimActions actions, Consumer<InventoryRecord> observed) {
    this.actions = actions;
    this.observed = observed;
  }

  @Override
  public String name() {
    return SimActions.DRIVER;
  }

  /** One lane: the simulated datacenter is one object, and its outcomes must not depend on thread timing. */
  @Override
  public String lane(HostCommand command) {
    return "simulated-datacenter";
  }

  @Override
  public DriverResult apply(HostCommand command, Progress progress) {
    SimActions.Result result = actions.apply(command.getAction(), command.getVmId(), command.getHostId(),
        command.getDestinationHostId(), command.getParameters(), command.getDecidedAt());
    result.observed().ifPresent(observed);
    return new DriverResult(result.outcome(), result.detail());
  }
}
