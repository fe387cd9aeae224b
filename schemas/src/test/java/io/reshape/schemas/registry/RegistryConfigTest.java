package io.reshape.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

  @Test
  void readsConfluentKeys() {
    RegistryConfig config = RegistryConfig.from(Map.of(
        "schema.registry.url", "http://a:8081/, http://b:8081",
        "basic.auth.user.info", "alice:s3cret",
        "auto.register.schemas", false,
        "specific.avro.reader", "true",
        "max.retries", 5,
        "retries.wait.ms", "10"));
    assertThat(config.urls()).containsExactly(URI.create("http://a:8081"), URI.create("http://b:8081"));
    assertThat(config.userInfo()).contains("alice:s3cret");
    assertThat(config.autoRegisterSchemas()).isFalse();
    assertThat(config.specificAvroReader()).isTrue();
    assertThat(config.maxRetries()).isEqualTo(5);
    assertThat(config.retriesWait()).isEqualTo(Duration.ofMillis(10));
    assertThat(config.toString()).contains("alice:***").doesNotContain("s3cret");
  }

  @Test
  void defaultsFollowConfluent() {
    RegistryConfig config = RegistryConfig.from(Map.of("schema.registry.url", "http://r"));
    assertThat(config.autoRegisterSchemas()).isTrue();
    assertThat(config.specificAvroReader()).isFalse();
    assertThat(config.userInfo()).isEmpty();
  }

  @Test
  void credentialsMayComeFromTheUrl() {
    RegistryConfig config = RegistryConfig.from(Map.of(
        "schema.registry.url", "http://bob:pw@r:8081", "basic.auth.credentials.source", "URL"));
    assertThat(config.userInfo()).contains("bob:pw");
  }

  @Test
  void refusesWhatItCannotUse() {
    assertThatThrownBy(() -> RegistryConfig.from(Map.of())).hasMessageContaining("schema.registry.url is required");
    assertThatThrownBy(() -> RegistryConfig.from(Map.of("schema.registry.url", "http://r", "basic.auth.credentials.source", "SASL")))
        .hasMessageContaining("USER_INFO or URL");
  }
}
