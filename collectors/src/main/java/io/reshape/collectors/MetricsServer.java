package io.reshape.collectors;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Serves {@code GET /metrics} in the Prometheus text format. */
public final class MetricsServer implements AutoCloseable {

  private final HttpServer server;

  public MetricsServer(String address, int port, Supplier<String> metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(address, port), 0);
    server.createContext("/metrics", exchange -> {
      byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
