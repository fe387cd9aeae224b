package io.reshape.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the build put the embedded services: the Kafka broker's jars and the schema registry.
 * The build writes them to {@code local-stack/target/embedded}; {@code RESHAPE_EMBEDDED_HOME}
 * points elsewhere.
 */
public record EmbeddedHome(Path root) {

  public static EmbeddedHome locate() {
    String configured = System.getenv("RESHAPE_EMBEDDED_HOME");
    Path root = configured != null ? Path.of(configured) : besideThisCode();
    if (!Files.isDirectory(root.resolve("kafka-broker")) || !Files.isDirectory(root.resolve("schema-registry"))) {
      throw new IllegalStateException("No embedded services in " + root
          + ": build them with 'mvn -DskipTests package' (or set RESHAPE_EMBEDDED_HOME)");
    }
    return new EmbeddedHome(root);
  }

  /** {@code target/embedded}, next to {@code target/classes} or {@code target/reshape.jar}. */
  private static Path besideThisCode() {
    try {
      Path code = Path.of(EmbeddedHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.getParent().resolve("embedded");
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The jars of the Kafka broker. */
  public List<String> kafkaClasspath() {
    try (Stream<Path> jars = Files.list(root.resolve("kafka-broker"))) {
      return jars.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema registry's runnable jar (its manifest names the libraries beside it). */
  public Path registryJar() {
    try (Stream<Path> files = Files.list(root.resolve("schema-registry"))) {
      return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("No registry runner jar in " + root.resolve("schema-registry")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
