package io.reshape.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

  private static final Map<String, String> KAFKA = Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
      "SCHEMA_REGISTRY_URL", "http://registry:8081");

  @Test
  void theCoordinatorsDefaultsAreDryRunEverywhereAndTheUsualPort() {
    CoordinatorConfig config = CoordinatorConfig.fromEnv(KAFKA);
    assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/reshape/coordinator"));
    assertThat(config.cooldown()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.hostActions().toString()).isEqualTo("every host in dry run");
    assertThat(config.metricsPort()).isEqualTo(9464);
    assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
  }

  @Test
  void theCoordinatorReadsEachSetting() {
    CoordinatorConfig config = CoordinatorConfig.fromEnv(with("RESHAPE_STATE_DIR", "/data", "RESHAPE_COOLDOWN_S", "60",
        "RESHAPE_HOST_ACTIONS", "host-1=PAGE_OUT", "RESHAPE_METRICS_PORT", "9000", "RESHAPE_METRICS_ADDRESS", "127.0.0.1"));
    assertThat(config.stateDir()).isEqualTo(Path.of("/data"));
    assertThat(config.settings().cooldown()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.hostActions().toString()).contains("host-1");
    assertThat(config.metricsPort()).isEqualTo(9000);
    assertThat(config.metricsAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void theSetUpReadsItsReplicasAndTimeout() {
    assertThat(SetUpConfig.fromEnv(KAFKA)).satisfies(c -> {
      assertThat(c.replicationFactor()).isEqualTo((short) 3);
      assertThat(c.timeout()).isEqualTo(Duration.ofMinutes(2));
    });
    assertThat(SetUpConfig.fromEnv(with("RESHAPE_REPLICATION_FACTOR", "1", "RESHAPE_SETUP_TIMEOUT_S", "30")))
        .isEqualTo(new SetUpConfig(SetUpConfig.fromEnv(KAFKA).kafka(), (short) 1, Duration.ofSeconds(30)));
  }

  @Test
  void aSettingThatCannotBeReadIsRefusedWithItsName() {
    assertThatThrownBy(() -> CoordinatorConfig.fromEnv(with("RESHAPE_COOLDOWN_S", "soon")))
        .hasMessage("RESHAPE_COOLDOWN_S: 'soon' is not a whole number of at least 0");
    assertThatThrownBy(() -> CoordinatorConfig.fromEnv(with("RESHAPE_METRICS_PORT", "-1")))
        .hasMessageStartingWith("RESHAPE_METRICS_PORT:");
    assertThatThrownBy(() -> SetUpConfig.fromEnv(with("RESHAPE_REPLICATION_FACTOR", "0")))
        .hasMessageStartingWith("RESHAPE_REPLICATION_FACTOR:");
    assertThatThrownBy(() -> CoordinatorConfig.fromEnv(with("RESHAPE_HOST_ACTIONS", "host-1=FLY")))
        .hasMessageStartingWith("RESHAPE_HOST_ACTIONS:");
  }

  private static Map<String, String> with(String... settings) {
    Map<String, String> env = new HashMap<>(KAFKA);
    for (int i = 0; i < settings.length; i += 2) {
      env.put(settings[i], settings[i + 1]);
    }
    return env;
  }
}
