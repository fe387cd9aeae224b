package io.reshape.actuator.executor;

import io.reshape.actuator.HostActions;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which driver carries out each command: a real one where the command's host grants its action
 * ({@link HostActions}), the dry run everywhere else. Dry run stays the default: with no allowlist,
 * nothing on any host is changed.
 */
public final class Drivers {

  private final HostActions granted;
  private final Map<Action, Driver> real;
  private final LabRoute lab;
  private final Driver fallback;

  /**
   * Where commands on the lab VMs a host agent runs itself go: to drivers of their own, for the
   * actions those have, when {@code isLab} says the command's VM is one.
   */
  public record LabRoute(Predicate<HostCommand> isLab, Map<Action, Driver> drivers) {

    /** No lab VMs here. */
    public static LabRoute none() {
      return new LabRoute(command -> false, Map.of());
    }
  }

  public Drivers(HostActions granted, Map<Action, Driver> real, Driver fallback) {
    this(granted, real, LabRoute.none(), fallback);
  }

  /**
   * @throws IllegalArgumentException when a host grants an action this executor has no driver for
   */
  public Drivers(HostActions granted, Map<Action, Driver> real, LabRoute lab, Driver fallback) {
    this.granted = granted;
    this.real = real.isEmpty() ? Map.of() : new EnumMap<>(real);
    this.lab = lab;
    this.fallback = fallback;
    granted.granted().forEach((host, actions) -> actions.stream().filter(a -> !this.real.containsKey(a)).findFirst()
        .ifPresent(a -> {
          throw new IllegalArgumentException(HostActions.VARIABLE + " grants " + a + " on " + host
              + ", and this executor has no driver for it; it has drivers for " + this.real.keySet());
        }));
  }

  /** Every command to {@code driver}: the dry run, or the simulated datacenter's driver. */
  public static Drivers only(Driver driver) {
    return new Drivers(HostActions.dryRun(), Map.of(), driver);
  }

  /** The driver of {@code command}. */
  public Driver of(HostCommand command) {
    if (!granted.grants(command.getHostId(), command.getAction())) {
      return fallback;
    }
    Driver labDriver = lab.drivers().get(command.getAction());
    return labDriver != null && lab.isLab().test(command) ? labDriver : real.get(command.getAction());
  }

  @Override
  public String toString() {
    return granted + (real.isEmpty() ? "" : ", drivers " + real) + (lab.drivers().isEmpty() ? "" : ", for lab VMs " + lab.drivers())
        + ", otherwise " + fallback.name();
  }
}
