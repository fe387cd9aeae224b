package io.reshape.coordinator;

import io.reshape.schemas.KafkaConnection;
import java.time.Duration;
import java.util.Map;

/**
 * What the set-up is told, read once from the environment and logged at start.
 *
 * @param kafka the cluster and registry ({@code KAFKA_*}, {@code SCHEMA_REGISTRY_*})
 * @param replicationFactor replicas of each topic it creates ({@code RESHAPE_REPLICATION_FACTOR}, default 3)
 * @param timeout how long it waits for the cluster and the registry to answer ({@code RESHAPE_SETUP_TIMEOUT_S},
 *     default 120)
 */
public record SetUpConfig(KafkaConnection kafka, short replicationFactor, Duration timeout) {

  public SetUpConfig {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("RESHAPE_REPLICATION_FACTOR: a topic needs one replica at least, not " + replicationFactor);
    }
  }

  public static SetUpConfig fromEnv(Map<String, String> env) {
    long replicas = Settings.number(env, "RESHAPE_REPLICATION_FACTOR", 3);
    if (replicas > Short.MAX_VALUE) {
      throw new IllegalArgumentException("RESHAPE_REPLICATION_FACTOR: " + replicas + " replicas are too many");
    }
    return new SetUpConfig(KafkaConnection.fromEnv(env), (short) replicas,
        Duration.ofSeconds(Settings.number(env, "RESHAPE_SETUP_TIMEOUT_S", 120)));
  }
}
