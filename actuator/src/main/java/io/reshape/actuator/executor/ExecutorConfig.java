package io.reshape.actuator.executor;

import io.reshape.actuator.HostActions;
import io.reshape.actuator.PerHost;
import io.reshape.actuator.drivers.LibvirtMigrationDriver;
import io.reshape.actuator.drivers.QmpMigrationDriver;
import io.reshape.host.ThisHost;
import io.reshape.schemas.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
 * @param migrationDriver what migrates VMs here: {@code qmp} (bare QEMU) or {@code libvirt} ({@code RESHAPE_MIGRATION_DRIVER},
 *     default qmp)
 * @param libvirtUri this host's libvirtd ({@code RESHAPE_LIBVIRT_URI}, default qemu:///system)
 * @param libvirtUris other hosts' libvirtd, by host id ({@code RESHAPE_LIBVIRT_URIS}, {@code host-2=qemu+tls://h2/system;...};
 *     a host not listed is {@code qemu+tcp://ADDRESS/system} with its migration address)
 * @param labKeepWritten a page-out of a lab VM keeps the pages written within this window resident
 *     ({@code RESHAPE_LAB_KEEP_WRITTEN_S}, default 30)
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
    MigrationDriver migrationDriver,
    String libvirtUri,
    Map<String, String> libvirtUris,
    Duration labKeepWritten) {

  /** What carries migrations out on a host. */
  public enum MigrationDriver { QMP, LIBVIRT }

  public ExecutorConfig {
    migrationAddresses = Map.copyOf(migrationAddresses);
    libvirtUris = Map.copyOf(libvirtUris);
  }

  public static ExecutorConfig fromEnv(Map<String, String> env) {
    return new ExecutorConfig(
        ThisHost.id(env),
        KafkaConnection.fromEnv(env),
        Path.of(env.getOrDefault("RESHAPE_JOURNAL_DIR", "/var/lib/reshape/journal")),
        HostActions.parse(env.get(HostActions.VARIABLE)),
        PerHost.parse("RESHAPE_MIGRATION_ADDRESSES", env.get("RESHAPE_MIGRATION_ADDRESSES"), "host=address"),
        Long.parseLong(env.getOrDefault("RESHAPE_MIGRATION_BANDWIDTH", Long.toString(1L << 30))),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("RESHAPE_MIGRATION_DOWNTIME_MS", "300"))),
        Integer.parseInt(env.getOrDefault("RESHAPE_MIGRATION_PORT", "49152")),
        Integer.parseInt(env.getOrDefault("RESHAPE_MIGRATION_PORTS", "1000")),
        Integer.parseInt(env.getOrDefault("RESHAPE_KSM_PAGES_TO_SCAN", "1000")),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("RESHAPE_KSM_SLEEP_MS", "20"))),
        migrationDriver(env.getOrDefault("RESHAPE_MIGRATION_DRIVER", "qmp")),
        env.getOrDefault("RESHAPE_LIBVIRT_URI", "qemu:///system"),
        PerHost.parse("RESHAPE_LIBVIRT_URIS", env.get("RESHAPE_LIBVIRT_URIS"), "host=uri"),
        Duration.ofSeconds(Long.parseLong(env.getOrDefault("RESHAPE_LAB_KEEP_WRITTEN_S", "30"))));
  }

  private static MigrationDriver migrationDriver(String name) {
    try {
      return MigrationDriver.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("RESHAPE_MIGRATION_DRIVER: '" + name + "' is neither qmp nor libvirt");
    }
  }

  public LibvirtMigrationDriver.Settings libvirt() {
    Function<String, String> address = migration().addressOfHost();
    return new LibvirtMigrationDriver.Settings(libvirtUri,
        host -> libvirtUris.getOrDefault(host, "qemu+tcp://" + address.apply(host) + "/system"), address, migrationBandwidth,
        migrationFirstPort, migrationPorts);
  }

  public ExecutorSettings settings() {
    return ExecutorSettings.of(Set.of(hostId), journalDir);
  }

  public QmpMigrationDriver.Settings migration() {
    return new QmpMigrationDriver.Settings(migrationBandwidth, migrationDowntime, migrationFirstPort, migrationPorts,
        host -> migrationAddresses.getOrDefault(host, host));
  }
}
