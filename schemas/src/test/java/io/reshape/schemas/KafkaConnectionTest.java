package io.reshape.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

  @Test
  void kafkaAndRegistryVariablesBecomeClientSettings() {
    KafkaConnection connection = KafkaConnection.fromEnv(Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
        "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "KAFKA_SASL_JAAS_CONFIG", "secret stuff",
        "SCHEMA_REGISTRY_URL", "http://registry:8081",
        "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "user:password",
        "HOME", "/root"));
    assertThat(connection.bootstrapServers()).isEqualTo("broker:9092");
    assertThat(connection.clientProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", "secret stuff").doesNotContainKey("home");
    assertThat(connection.registryProperties()).containsEntry("schema.registry.url", "http://registry:8081")
        .containsEntry("basic.auth.user.info", "user:password");
    assertThat(connection.toString()).doesNotContain("secret stuff").doesNotContain("password").contains("broker:9092");
  }

  @Test
  void kubernetesServiceLinksAreNoSettings() {
    KafkaConnection connection = KafkaConnection.fromEnv(Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
        "KAFKA_PORT", "tcp://10.0.0.7:9092",
        "KAFKA_PORT_9092_TCP", "tcp://10.0.0.7:9092",
        "KAFKA_PORT_9092_TCP_ADDR", "10.0.0.7",
        "KAFKA_SERVICE_HOST", "10.0.0.7",
        "KAFKA_SERVICE_PORT_PLAIN", "9092",
        "SCHEMA_REGISTRY_URL", "http://schema-registry:8081",
        "SCHEMA_REGISTRY_SERVICE_PORT", "8081",
        "SCHEMA_REGISTRY_PORT_8081_TCP_PROTO", "tcp"));
    assertThat(connection.clientProperties()).containsOnlyKeys("bootstrap.servers");
    assertThat(connection.registryProperties()).containsOnlyKeys("schema.registry.url");
  }

  @Test
  void saysWhatIsMissing() {
    assertThatThrownBy(() -> KafkaConnection.fromEnv(Map.of("SCHEMA_REGISTRY_URL", "http://r")))
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    assertThatThrownBy(() -> KafkaConnection.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:1")))
        .hasMessageContaining("SCHEMA_REGISTRY_URL");
  }
}
