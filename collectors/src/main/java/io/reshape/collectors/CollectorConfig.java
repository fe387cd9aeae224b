package io.reshape.collectors;

import io.reshape.host.ThisHost;
import io.reshape.schemas.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything a collector is told, read once from the environment and logged at start.
 *
 * @param hostId this host's id ({@code RESHAPE_HOST_ID}, default: the host name)
 * @param kafka the cluster and registry ({@code KAFKA_*}, {@code SCHEMA_REGISTRY_*})
 * @param spoolDir where samples wait for Kafka ({@code RESHAPE_SPOOL_DIR}, default /var/lib/reshape/spool)
 * @param spoolMaxBytes the spool's bound ({@code RESHAPE_SPOOL_MAX_BYTES}, default 1 GiB)
 * @param sources the sources switched on ({@code RESHAPE_SOURCES}, comma-separated; default all)
 * @param quantaInterval interval of the quanta source ({@code RESHAPE_QUANTA_INTERVAL_MS}, default 1000)
 * @param inventoryInterval interval of discovery and inventory ({@code RESHAPE_INVENTORY_INTERVAL_MS}, default 5000)
 * @param dirtyRateInterval interval of the dirty-rate source ({@code RESHAPE_DIRTY_RATE_INTERVAL_MS}, default
 *     5000, at least 2000: each measurement takes a second)
 * @param softDirtyInterval interval of the soft-dirty source ({@code RESHAPE_SOFT_DIRTY_INTERVAL_MS}, default 1000)
 * @param fingerprintInterval interval of the page-fingerprint source ({@code RESHAPE_FINGERPRINT_INTERVAL_MS}, default 10000)
 * @param trafficInterval interval of the traffic source ({@code RESHAPE_TRAFFIC_INTERVAL_MS}, default 5000, at most
 *     10000: conntrack may drop a closed connection 10 s after its last packet, and what it counted since the
 *     previous reading with it)
 * @param fingerprintPages pages each VM gets read and hashed per interval ({@code RESHAPE_FINGERPRINT_PAGES},
 *     default 4096, 16 MiB): the bound on that source's cost
 * @param qmpTimeout how long a QMP answer may take ({@code RESHAPE_QMP_TIMEOUT_MS}, default 2000)
 * @param metricsAddress where the Prometheus endpoint listens ({@code RESHAPE_METRICS_ADDRESS}, default 0.0.0.0)
 * @param metricsPort its port ({@code RESHAPE_METRICS_PORT}, default 9464; 0 for any free port)
 */
public record CollectorConfig(
    String hostId,
    KafkaConnection kafka,
    Path spoolDir,
    long spoolMaxBytes,
    Set<Source> sources,
    Duration quantaInterval,
    Duration inventoryInterval,
    Duration dirtyRateInterval,
    Duration softDirtyInterval,
    Duration fingerprintInterval,
    Duration trafficInterval,
    int fingerprintPages,
    Duration qmpTimeout,
    String metricsAddress,
    int metricsPort) {

  /** The signals a collector can read. */
  public enum Source {
    INVENTORY,
    QUANTA,
    DIRTY_RATE,
    SOFT_DIRTY,
    FINGERPRINTS,
    TRAFFIC
  }

  public CollectorConfig {
    sources = Set.copyOf(sources);
    if (dirtyRateInterval.toMillis() < 2000) {
      throw new IllegalArgumentException("RESHAPE_DIRTY_RATE_INTERVAL_MS must be at least 2000: each measurement takes a second");
    }
    if (trafficInterval.toMillis() > 10_000) {
      throw new IllegalArgumentException("RESHAPE_TRAFFIC_INTERVAL_MS must be at most 10000: conntrack may forget a closed"
          + " connection 10 s after its last packet, and with it what it counted since the previous reading");
    }
  }

  public static CollectorConfig fromEnv(Map<String, String> env) {
    return new CollectorConfig(
        ThisHost.id(env),
        KafkaConnection.fromEnv(env),
        Path.of(env.getOrDefault("RESHAPE_SPOOL_DIR", "/var/lib/reshape/spool")),
        Long.parseLong(env.getOrDefault("RESHAPE_SPOOL_MAX_BYTES", Long.toString(1L << 30))),
        sources(env.get("RESHAPE_SOURCES")),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("RESHAPE_QUANTA_INTERVAL_MS", "1000"))),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("RESHAPE_INVENTORY_INTERVAL_MS", "5000"))),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("RESHAPE_DIRTY_RATE_INTERVAL_MS", "5000"))),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("RESHAPE_SOFT_DIRTY_INTERVAL_MS", "1000"))),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("RESHAPE_FINGERPRINT_INTERVAL_MS", "10000"))),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("RESHAPE_TRAFFIC_INTERVAL_MS", "5000"))),
        Integer.parseInt(env.getOrDefault("RESHAPE_FINGERPRINT_PAGES", "4096")),
        Duration.ofMillis(Long.parseLong(env.getOrDefault("RESHAPE_QMP_TIMEOUT_MS", "2000"))),
        env.getOrDefault("RESHAPE_METRICS_ADDRESS", "0.0.0.0"),
        Integer.parseInt(env.getOrDefault("RESHAPE_METRICS_PORT", "9464")));
  }

  private static Set<Source> sources(String list) {
    if (list == null || list.isBlank()) {
      return EnumSet.allOf(Source.class);
    }
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(s -> {
          try {
            return Source.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RESHAPE_SOURCES: no source '" + s + "'; there are "
                + Arrays.toString(Source.values()).toLowerCase(Locale.ROOT).replace('_', '-'));
          }
        })
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Source.class)));
  }
}
