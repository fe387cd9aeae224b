package io.reshape.local;

import io.reshape.local.process.ChildJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Apicurio Registry in a child JVM, on loopback, storing schemas in memory. Clients use its
 * Confluent-compatible API, which {@link #url()} points at.
 */
public final class EmbeddedRegistry implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(120);

  private final ChildJvm process;
  private final String url;

  private EmbeddedRegistry(ChildJvm process, String url) {
    this.process = process;
    this.url = url;
  }

  public static EmbeddedRegistry start(EmbeddedHome home, Path dir) throws InterruptedException {
    int port = FreePorts.next();
    ChildJvm registry = ChildJvm.start("schema-registry",
        List.of("-Xms64m", "-Xmx384m", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
            "-Dquarkus.log.category.\"io.quarkus.vertx.http.runtime.filters.accesslog\".level=WARN"),
        List.of(home.registryJar().toString()), "io.quarkus.runner.GeneratedMain", List.of(), dir);
    String url = "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    try {
      awaitReady(registry, url);
    } catch (RuntimeException | InterruptedException e) {
      registry.close();
      throw e;
    }
    return new EmbeddedRegistry(registry, url);
  }

  private static void awaitReady(ChildJvm registry, String url) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest probe = HttpRequest.newBuilder(URI.create(url + "/subjects")).timeout(Duration.ofSeconds(2)).build();
    registry.awaitReady(STARTUP, () -> http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  /** The base URL of the Confluent-compatible API, for {@code schema.registry.url}. */
  public String url() {
    return url;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.close();
  }
}
