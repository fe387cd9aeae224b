package io.reshape.actuator;

import io.reshape.events.Action;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which actions each host lets Reshape carry out for real: its allowlist. A host without one is in
 * dry run, the default: the coordinator sends it every valid action and its executor only says what
 * it would do. A host with one gets only the actions it grants; the coordinator refuses the rest
 * (for a migration, both hosts must grant it), and its executor, should one reach it anyway, dry
 * runs it. The coordinator and the executors read the same setting, {@code RESHAPE_HOST_ACTIONS}.
 *
 * @param granted per host, the actions its real drivers carry out
 */
public record HostActions(Map<String, Set<Action>> granted) {

  /** The environment variable and flag value: {@code host-1=PAGE_OUT+SWAP_IN;host-2=ENABLE_KSM+DISABLE_KSM}. */
  public static final String VARIABLE = "RESHAPE_HOST_ACTIONS";

  public HostActions {
    Map<String, Set<Action>> copy = new LinkedHashMap<>();
    granted.forEach((host, actions) -> copy.put(host, Set.copyOf(actions)));
    granted = Map.copyOf(copy);
  }

  /** Every host in dry run. */
  public static HostActions dryRun() {
    return new HostActions(Map.of());
  }

  /**
   * Reads {@code host=ACTION+ACTION;host=ACTION}; an empty or blank text is {@link #dryRun()}.
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static HostActions parse(String text) {
    Map<String, Set<Action>> granted = new LinkedHashMap<>();
    PerHost.parse(VARIABLE, text, "host=ACTION+ACTION").forEach((host, names) -> {
      Set<Action> actions = EnumSet.noneOf(Action.class);
      for (String name : names.split("\\+")) {
        actions.add(action(name.trim(), host));
      }
      granted.put(host, actions);
    });
    return new HostActions(granted);
  }

  private static Action action(String name, String host) {
    try {
      Action action = Action.valueOf(name);
      if (action != Action.UNKNOWN) {
        return action;
      }
    } catch (IllegalArgumentException e) {
      // Reported below with the actions there are.
    }
    throw new IllegalArgumentException(VARIABLE + ": '" + name + "' for host " + host + " is not an action; the actions are "
        + Arrays.stream(Action.values()).filter(a -> a != Action.UNKNOWN).map(Action::name).collect(Collectors.joining(", ")));
  }

  /** Whether {@code host}'s real drivers carry out {@code action}. */
  public boolean grants(String host, Action action) {
    return granted.getOrDefault(host, Set.of()).contains(action);
  }

  /** Why {@code host} must not get {@code action}: it has an allowlist, and the action is not on it. */
  public Optional<String> refusal(String host, Action action) {
    Set<Action> actions = granted.get(host);
    if (actions == null || actions.contains(action)) {
      return Optional.empty();
    }
    return Optional.of("Host " + host + " grants only " + actions.stream().map(Action::name).sorted().toList() + ", not "
        + action);
  }

  @Override
  public String toString() {
    return granted.isEmpty() ? "every host in dry run" : granted.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue().stream().map(Action::name).sorted().collect(Collectors.joining("+")))
        .sorted().collect(Collectors.joining(";"));
  }
}
