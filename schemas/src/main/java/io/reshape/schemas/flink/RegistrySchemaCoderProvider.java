package io.reshape.schemas.flink;

import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.formats.avro.SchemaCoder;

/** Ships the registry settings to the task managers and builds a coder there. */
public final class RegistrySchemaCoderProvider implements SchemaCoder.SchemaCoderProvider {

  private static final long serialVersionUID = 1L;

  private final String subject;
  private final HashMap<String, String> registryConfig;

  public RegistrySchemaCoderProvider(String subject, Map<String, String> registryConfig) {
    this.subject = subject;
    this.registryConfig = new HashMap<>(registryConfig);
  }

  @Override
  public SchemaCoder get() {
    return new RegistrySchemaCoder(subject, SchemaRegistryClient.shared(RegistryConfig.from(registryConfig)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistrySchemaCoderProvider other
        && Objects.equals(subject, other.subject) && registryConfig.equals(other.registryConfig);
  }

  @Override
  public int hashCode() {
    return Objects.hash(subject, registryConfig);
  }
}
