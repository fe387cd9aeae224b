package io.reshape.schemas.registry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * What Reshape asks of a schema registry, in the terms of the Confluent Schema Registry protocol:
 * a real registry over HTTP ({@link HttpSchemaRegistryClient}), or, for tests of pure logic, an
 * in-memory one ({@link InMemorySchemaRegistry}), chosen as Confluent's serdes do by a
 * {@code mock://<scope>} URL.
 */
public interface SchemaRegistryClient {

  /** The URL scheme of in-memory registries: {@code mock://<scope>}, one registry per scope and JVM. */
  String IN_MEMORY_SCHEME = "mock";

  /** One client per configuration and JVM, so that every serde of a process shares its caches. */
  static SchemaRegistryClient shared(RegistryConfig config) {
    return Shared.CLIENTS.computeIfAbsent(config, c -> IN_MEMORY_SCHEME.equals(c.urls().get(0).getScheme())
        ? InMemorySchemaRegistry.scope(c.urls().get(0).getHost(), c)
        : new HttpSchemaRegistryClient(c));
  }

  RegistryConfig config();

  /** Registers {@code schema} under {@code subject} (a no-op if it is there) and returns its id. */
  int register(String subject, Schema schema);

  /** The id of {@code schema} if it is registered under {@code subject}; a 404 error otherwise. */
  int lookup(String subject, Schema schema);

  /** The id a serializer writes: registered on the way if the configuration allows it. */
  default int idForWriting(String subject, Schema schema) {
    return config().autoRegisterSchemas() ? register(subject, schema) : lookup(subject, schema);
  }

  /**
   * The schema with this id. The same id always gives the same {@link Schema} instance, so that
   * Avro's resolver caches, which are keyed by identity, keep working.
   */
  Schema schemaById(int id);

  /** The latest version registered under {@code subject}. */
  RegisteredSchema latest(String subject);

  /** Whether {@code schema} may be registered as the next version of {@code subject}. */
  CompatibilityResult testCompatibility(String subject, Schema schema);

  /** Sets the registry-wide compatibility level. */
  void setCompatibility(Compatibility level);

  /** Sets the compatibility level of one subject. */
  void setCompatibility(String subject, Compatibility level);

  /** The registry-wide compatibility level. */
  Compatibility compatibility();

  /** The compatibility level that applies to one subject (its own, or the registry's default). */
  Compatibility compatibility(String subject);

  /** The subjects the registry holds. */
  List<String> subjects();

  /** The clients of this JVM, by configuration. */
  final class Shared {
    private static final Map<RegistryConfig, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

    private Shared() {}
  }
}
