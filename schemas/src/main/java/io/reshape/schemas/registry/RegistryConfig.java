package io.reshape.schemas.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of a registry client, read from the same keys Confluent's serializers use, so that an
 * existing client configuration works unchanged.
 *
 * @param urls registry base URLs, tried in turn when one fails
 * @param userInfo {@code user:password} for HTTP basic authentication, if any
 * @param autoRegisterSchemas whether a serializer registers a schema the subject does not have yet
 * @param specificAvroReader whether a deserializer without a target type returns the generated
 *     classes (true) or generic records (false)
 * @param maxRetries retries of a request that failed for a transient reason
 * @param retriesWait first wait between retries; doubled after each retry
 * @param retriesMaxWait longest wait between retries
 * @param connectTimeout time to open a connection
 * @param readTimeout time to wait for an answer
 */
public record RegistryConfig(
    List<URI> urls,
    Optional<String> userInfo,
    boolean autoRegisterSchemas,
    boolean specificAvroReader,
    int maxRetries,
    Duration retriesWait,
    Duration retriesMaxWait,
    Duration connectTimeout,
    Duration readTimeout) {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
  public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";

  public RegistryConfig {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(URL + " is required");
    }
    urls = List.copyOf(urls);
  }

  /** Reads the settings from a Kafka-style configuration map (values may be strings or typed). */
  public static RegistryConfig from(Map<String, ?> configs) {
    Object url = configs.get(URL);
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException(URL + " is required");
    }
    List<URI> urls = Arrays.stream(url.toString().split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(RegistryConfig::withoutTrailingSlash)
        .map(URI::create)
        .toList();
    String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
    Optional<String> userInfo = switch (source) {
      case "USER_INFO" -> Optional.ofNullable(configs.get(BASIC_AUTH_USER_INFO))
          .map(Object::toString).filter(s -> !s.isEmpty());
      case "URL" -> Optional.ofNullable(urls.get(0).getUserInfo());
      default -> throw new IllegalArgumentException(
          BASIC_AUTH_CREDENTIALS_SOURCE + " must be USER_INFO or URL, not " + source);
    };
    return new RegistryConfig(
        urls,
        userInfo,
        Boolean.parseBoolean(string(configs, AUTO_REGISTER_SCHEMAS, "true")),
        Boolean.parseBoolean(string(configs, SPECIFIC_AVRO_READER, "false")),
        Integer.parseInt(string(configs, MAX_RETRIES, "3")),
        Duration.ofMillis(Long.parseLong(string(configs, RETRIES_WAIT_MS, "200"))),
        Duration.ofMillis(Long.parseLong(string(configs, RETRIES_MAX_WAIT_MS, "5000"))),
        Duration.ofMillis(Long.parseLong(string(configs, HTTP_CONNECT_TIMEOUT_MS, "10000"))),
        Duration.ofMillis(Long.parseLong(string(configs, HTTP_READ_TIMEOUT_MS, "30000"))));
  }

  private static String string(Map<String, ?> configs, String key, String fallback) {
    Object value = configs.get(key);
    return value == null ? fallback : value.toString().trim();
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public String toString() {
    // Never print the password.
    return "RegistryConfig[urls=" + urls + ", basicAuth=" + userInfo.map(u -> u.split(":", 2)[0] + ":***").orElse("none")
        + ", autoRegisterSchemas=" + autoRegisterSchemas + ", specificAvroReader=" + specificAvroReader
        + ", maxRetries=" + maxRetries + "]";
  }
}
