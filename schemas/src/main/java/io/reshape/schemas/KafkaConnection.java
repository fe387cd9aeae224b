package io.reshape.schemas;

import io.reshape.schemas.registry.RegistryConfig;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where the Kafka cluster and the schema registry are, and how to talk to them: the settings every
 * Reshape application shares.
 *
 * <p>From the environment: {@code KAFKA_BOOTSTRAP_SERVERS} and every other {@code KAFKA_*} variable
 * become Kafka client properties ({@code KAFKA_SASL_MECHANISM} gives {@code sasl.mechanism}); {@code
 * SCHEMA_REGISTRY_URL} is the registry and every other {@code SCHEMA_REGISTRY_*} variable a registry
 * client setting ({@code SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO} gives {@code basic.auth.user.info}).
 *
 * @param clientProperties Kafka client properties, {@code bootstrap.servers} among them
 * @param registryProperties registry client properties, {@code schema.registry.url} among them
 */
public record KafkaConnection(Map<String, String> clientProperties, Map<String, String> registryProperties) {

  private static final Pattern SECRET = Pattern.compile("password|secret|jaas|user\\.info|token", Pattern.CASE_INSENSITIVE);

  /** The variables a Kubernetes service link defines: PORT, PORT_9092_TCP(_ADDR|_PORT|_PROTO), SERVICE_HOST, SERVICE_PORT(_NAME). */
  private static final Pattern SERVICE_LINK =
      Pattern.compile("(KAFKA|SCHEMA_REGISTRY)_(PORT(_\\d+_(TCP|UDP|SCTP)(_ADDR|_PORT|_PROTO)?)?|SERVICE_HOST|SERVICE_PORT(_\\w+)?)");

  public KafkaConnection {
    clientProperties = Map.copyOf(clientProperties);
    registryProperties = Map.copyOf(registryProperties);
    if (!clientProperties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS (bootstrap.servers) is required");
    }
    if (!registryProperties.containsKey(RegistryConfig.URL)) {
      throw new IllegalArgumentException("SCHEMA_REGISTRY_URL (schema.registry.url) is required");
    }
  }

  /** A connection to a broker and a registry with no further settings. */
  public static KafkaConnection of(String bootstrapServers, String registryUrl) {
    return new KafkaConnection(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        Map.of(RegistryConfig.URL, registryUrl));
  }

  /**
   * {@code KAFKA_*} variables as client properties, {@code SCHEMA_REGISTRY_*} as registry ones,
   * leaving out those Kubernetes sets for services named {@code kafka} or {@code schema-registry}
   * ({@code KAFKA_PORT=tcp://...}, {@code KAFKA_SERVICE_HOST}, ...), which are no settings.
   */
  public static KafkaConnection fromEnv(Map<String, String> env) {
    Map<String, String> client = new TreeMap<>();
    Map<String, String> registry = new TreeMap<>();
    env.forEach((name, value) -> {
      if (SERVICE_LINK.matcher(name).matches()) {
        return;
      }
      if (name.equals("SCHEMA_REGISTRY_URL")) {
        registry.put(RegistryConfig.URL, value);
      } else if (name.startsWith("SCHEMA_REGISTRY_")) {
        registry.put(propertyName(name.substring("SCHEMA_REGISTRY_".length())), value);
      } else if (name.startsWith("KAFKA_")) {
        client.put(propertyName(name.substring("KAFKA_".length())), value);
      }
    });
    return new KafkaConnection(client, registry);
  }

  private static String propertyName(String variableSuffix) {
    return variableSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  public String bootstrapServers() {
    return clientProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
  }

  /** A fresh copy of the client properties, for a producer, consumer, admin or Streams config. */
  public Properties clientConfig() {
    Properties properties = new Properties();
    properties.putAll(clientProperties);
    return properties;
  }

  @Override
  public String toString() {
    return "KafkaConnection[client=" + masked(clientProperties) + ", registry=" + masked(registryProperties) + "]";
  }

  private static Map<String, String> masked(Map<String, String> properties) {
    Map<String, String> shown = new TreeMap<>();
    properties.forEach((k, v) -> shown.put(k, SECRET.matcher(k).find() ? "***" : v));
    return shown;
  }
}
