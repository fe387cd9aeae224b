package io.reshape.actuator.executor;

import io.reshape.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of a host executor.
 *
 * @param hosts the hosts whose commands this executor applies; empty for every host (a simulated
 *     or dry-run fleet served from one place)
 * @param journalDirectory where the command journal lives; it must survive restarts
 * @param journalRetention how long the journal remembers a command; a command decided longer ago
 *     is refused, and it may not be shorter than the retention of {@code commands}, so every
 *     command the topic still holds is one the journal remembers or refuses
 */
public record ExecutorSettings(Set<String> hosts, Path journalDirectory, Duration journalRetention) {

  /** How many VMs the worker acts on at once: a migration on one VM must not hold up paging on others. */
  public static final int LANES = 4;

  public ExecutorSettings {
    hosts = Set.copyOf(hosts);
    if (journalRetention.compareTo(Topics.COMMANDS.retention()) < 0) {
      throw new IllegalArgumentException("journalRetention (" + journalRetention + ") must be at least the retention of "
          + Topics.COMMANDS + " (" + Topics.COMMANDS.retention() + "): a command read again could be applied again");
    }
  }

  /** An executor for {@code hosts} that remembers commands as long as the actuator remembers decisions. */
  public static ExecutorSettings of(Set<String> hosts, Path journalDirectory) {
    return new ExecutorSettings(hosts, journalDirectory, Topics.DECISION_MEMORY);
  }

  public CommandAdmission admission() {
    return new CommandAdmission(journalRetention);
  }

  public boolean serves(String hostId) {
    return hosts.isEmpty() || hosts.contains(hostId);
  }

  /**
   * Each executor reads every command and keeps its own hosts', so each needs a consumer group,
   * hence an application id, of its own.
   */
  public String applicationId() {
    return applicationId(hosts);
  }

  /** The application id of the executor for {@code hosts} (all of them, when empty). */
  public static String applicationId(Set<String> hosts) {
    return "reshape-executor-" + (hosts.isEmpty() ? "all-hosts" : String.join("-", hosts.stream().sorted().toList()));
  }
}
