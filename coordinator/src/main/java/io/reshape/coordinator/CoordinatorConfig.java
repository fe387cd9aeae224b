package io.reshape.coordinator;

import io.reshape.actuator.HostActions;
import io.reshape.actuator.coordinator.CoordinatorSettings;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the coordinator is told, read once from the environment and logged at start.
 *
 * @param kafka the cluster and registry ({@code KAFKA_*}, {@code SCHEMA_REGISTRY_*})
 * @param stateDir where Kafka Streams keeps the coordinator's stores ({@code RESHAPE_STATE_DIR}, default
 *     /var/lib/reshape/coordinator); a store lost is rebuilt from its changelog
 * @param cooldown the shortest time between two actions on one VM ({@code RESHAPE_COOLDOWN_S}, default 300)
 * @param hostActions the allowlists ({@code RESHAPE_HOST_ACTIONS}, e.g. {@code host-1=PAGE_OUT+SWAP_IN}; default
 *     none: every host in dry run)
 * @param metricsAddress where the health and metrics endpoints listen ({@code RESHAPE_METRICS_ADDRESS}, default 0.0.0.0)
 * @param metricsPort their port ({@code RESHAPE_METRICS_PORT}, default 9464; 0 for any free port)
 */
public record CoordinatorConfig(KafkaConnection kafka, Path stateDir, Duration cooldown, HostActions hostActions,
    String metricsAddress, int metricsPort) {

  public static CoordinatorConfig fromEnv(Map<String, String> env) {
    return new CoordinatorConfig(
        KafkaConnection.fromEnv(env),
        Path.of(env.getOrDefault("RESHAPE_STATE_DIR", "/var/lib/reshape/coordinator")),
        Duration.ofSeconds(Settings.number(env, "RESHAPE_COOLDOWN_S", 300)),
        HostActions.parse(env.get(HostActions.VARIABLE)),
        env.getOrDefault("RESHAPE_METRICS_ADDRESS", "0.0.0.0"),
        (int) Settings.number(env, "RESHAPE_METRICS_PORT", 9464));
  }

  public CoordinatorSettings settings() {
    return new CoordinatorSettings(cooldown, Topics.DECISION_MEMORY, hostActions);
  }
}
