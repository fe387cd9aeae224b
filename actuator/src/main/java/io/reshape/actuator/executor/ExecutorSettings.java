package io.reshape.actuator.executor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of a host executor.
 *
 * @param hosts the hosts whose commands this executor applies; empty for every host (a simulated
 *     or dry-run fleet served from one place)
 * @param journalDirectory where the command journal lives; it must survive restarts
 * @param journalRetention how long finished commands are remembered
 */
public record ExecutorSettings(Set<String> hosts, Path journalDirectory, Duration journalRetention) {

  public ExecutorSettings {
    hosts = Set.copyOf(hosts);
  }

  public boolean serves(String hostId) {
    return hosts.isEmpty() || hosts.contains(hostId);
  }

  /**
   * Each executor reads every command and keeps its own hosts', so each needs a consumer group,
   * hence an application id, of its own.
   */
  public String applicationId() {
    return "reshape-executor-" + (hosts.isEmpty() ? "all-hosts" : String.join("-", hosts.stream().sorted().toList()));
  }
}
