package io.reshape.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a service shows of itself over HTTP, on one port: {@code GET /metrics}, its meters in the
 * Prometheus text format, and {@code GET /health}, 200 {@code UP} while the service can do its
 * work and 503 with the reason while it cannot (what a liveness or readiness probe reads).
 */
public final class ServiceEndpoints implements AutoCloseable {

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;

  private ServiceEndpoints(HttpServer server) {
    this.server = server;
  }

  /**
   * Listens on {@code address}:{@code port} (port 0: any free port).
   *
   * @param unhealthy why the service cannot do its work now; empty while it can
   */
  public static ServiceEndpoints start(String address, int port, PrometheusMeterRegistry registry,
      Supplier<Optional<String>> unhealthy) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
    server.createContext("/metrics", exchange -> answer(exchange, "/metrics", 200, PROMETHEUS_TEXT, registry.scrape()));
    server.createContext("/health", exchange -> {
      Optional<String> why = unhealthy.get();
      answer(exchange, "/health", why.isEmpty() ? 200 : 503, PLAIN_TEXT, why.orElse("UP") + "\n");
    });
    server.start();
    return new ServiceEndpoints(server);
  }

  /** The port listened on: the one configured, or the one chosen for port 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, String path, int status, String contentType, String body) throws IOException {
    try (exchange) {
      // A context matches every path it prefixes; only the path itself is served.
      if (!exchange.getRequestURI().getPath().equals(path)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
