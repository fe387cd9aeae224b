package io.reshape.actuator.executor;

import io.reshape.actuator.HostActions;
import io.reshape.actuator.drivers.QmpMigrationDriver;
import io.reshape.schemas.KafkaConnection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything a host's executor is told, read once from the environment and logged at start.
 *
 * @param hostId this host's id: the executor applies only this host's commands ({@code RESHAPE_HOST_ID},
 *     default: the host name)
 * @param kafka the cluster and registry ({@code KAFKA_*}, {@code SCHEMA_REGISTRY_*})
 * @param journalDir where the command journal lives; it must survive restarts ({@code RESHAPE_JOURNAL_DIR},
 *     default /var/lib/reshape/journal)
 * @param hostActions the allowlists ({@code RESHAPE_HOST_ACTIONS}, e.g. {@code host-1=PAGE_OUT+SWAP_IN}; default
 *     none: everything in dry run)
 * @param migrationAddresses where other hosts take migrations, by host id ({@code RESHAPE_MIGRATION_ADDRESSES},
 *     {@code host-2=10.0.0.2;host-3=10.0.0.3}; a host not listed is reached by its id)
 * @param migrationBandwidth bytes a second a migration may send ({@code RESHAPE_MIGRATION_BANDWIDTH}, default 1 GiB/s)
 * @param migrationDowntime the longest pause a migration may cause ({@code RESHAPE_MIGRATION_DOWNTIME_MS}, default 300)
 * @param migrationFirstPort the first of the ports migrations arrive on ({@code RESHAPE_MIGRATION_PORT}, default 49152),
 *     followed by {@code RESHAPE_MIGRATION_PORTS} more (default 1000)
 * @param ksmPagesToScan pages KSM scans each time it wakes ({@code RESHAPE_KSM_PAGES_TO_SCAN}, default 1000)
 * @param ksmSleep KSM's sleep between scans ({@code RESHAPE_KSM_SLEEP_MS}, default 20)
 * @param qmpTimeout how long a QMP answer may take ({@code RESHAPE_QMP_TIMEOUT_MS}, default 2000)
 */
public record ExecutorConfig(
    String hostId,
    KafkaConnection kafka,
    Path journalDir,
    HostActions hostActions,
    Map<String, String> migrationAddresses,
    long migrationBandwidth,
    Duration migrationDowntime,
    int migrationFirstPort,
    int migrationPorts,
    int ksmPagesToScan,
    Duration ksmSleep,
    Duration qmpTimeout) {

  public ExecutorConfig {
    migrationAddresses = Map.copyOf(migrationAddresses);
  }

  public static ExecutorConfig fromEnv(Map<String, String> env) {
    return new ExecutorConfig(
        env.getOrDefault("RESHAPE_HOST_ID", hostName()),
        KafkaConnection.fromEnv(env),
        Path.of(env.getOrDefault("RESHAPE_JOURNAL_DIR", "/var/lib/reshape/journal")),
        HostActions.parse(env.get(HostActions.VARIABLE)),
        addresses(env.getOrDefault("RESHAPE_MIGRATION_ADDRESSES", "")),
        Long.parseLong(env.getOrDefault("RESHAPE_MIGRATION_BANDWIDTH", Long.toString(1L << 30))),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("RESHAPE_MIGRATION_DOWNTIME_MS", "300"))),
        Integer.parseInt(env.getOrDefault("RESHAPE_MIGRATION_PORT", "49152")),
        Integer.parseInt(env.getOrDefault("RESHAPE_MIGRATION_PORTS", "1000")),
        Integer.parseInt(env.getOrDefault("RESHAPE_KSM_PAGES_TO_SCAN", "1000")),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("RESHAPE_KSM_SLEEP_MS", "20"))),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("RESHAPE_QMP_TIMEOUT_MS", "2000"))));
  }

  public ExecutorSettings settings() {
    return ExecutorSettings.of(Set.of(hostId), journalDir);
  }

  public QmpMigrationDriver.Settings migration() {
    return new QmpMigrationDriver.Settings(migrationBandwidth, migrationDowntime, migrationFirstPort, migrationPorts,
        host -> migrationAddresses.getOrDefault(host, host));
  }

  private static Map<String, String> addresses(String text) {
    Map<String, String> addresses = new LinkedHashMap<>();
    for (String entry : text.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.trim().split("=", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException("RESHAPE_MIGRATION_ADDRESSES: '" + entry.trim() + "' is not host=address");
      }
      addresses.put(parts[0].trim(), parts[1].trim());
    }
    return addresses;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
