package io.reshape.local;

import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One real schema registry for the tests of this JVM that need only a registry; started on first
 * use, stopped when the JVM exits.
 */
public final class SharedRegistry {

  private static EmbeddedRegistry registry;

  private SharedRegistry() {}

  public static synchronized Map<String, String> config() throws Exception {
    if (registry == null) {
      Path dir = Files.createTempDirectory("reshape-registry-");
      registry = EmbeddedRegistry.start(EmbeddedHome.locate(), dir);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        registry.close();
        Directories.delete(dir);
      }));
    }
    return Map.of(RegistryConfig.URL, registry.url());
  }

  public static SchemaRegistryClient client() throws Exception {
    return SchemaRegistryClient.shared(RegistryConfig.from(config()));
  }
}
