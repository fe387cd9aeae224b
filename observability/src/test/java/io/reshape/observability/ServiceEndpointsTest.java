package io.reshape.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServiceEndpointsTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesTheRegistrysMetersAndTheProcesssInThePrometheusTextFormat() throws Exception {
    PrometheusMeterRegistry registry = ProcessMeters.registry();
    registry.counter("reshape.things", "kind", "a").increment(3);
    try (ServiceEndpoints endpoints = ServiceEndpoints.start("127.0.0.1", 0, registry, Optional::empty)) {
      HttpResponse<String> metrics = get(endpoints, "/metrics");

      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(metrics.body()).contains("# TYPE reshape_things_total counter")
          .contains("reshape_things_total{kind=\"a\"} 3.0")
          .containsPattern("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} [1-9]")
          .containsPattern("process_uptime_seconds [0-9]")
          .containsPattern("system_cpu_count [1-9]");
    }
  }

  @Test
  void healthSaysUpWhileNothingIsWrongAndWhyNotOtherwise() throws Exception {
    AtomicReference<Optional<String>> why = new AtomicReference<>(Optional.empty());
    try (ServiceEndpoints endpoints = ServiceEndpoints.start("127.0.0.1", 0, ProcessMeters.registry(), why::get)) {
      HttpResponse<String> up = get(endpoints, "/health");
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.body()).isEqualTo("UP\n");

      why.set(Optional.of("Kafka Streams is ERROR"));
      HttpResponse<String> down = get(endpoints, "/health");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).isEqualTo("Kafka Streams is ERROR\n");
    }
  }

  @Test
  void answersOnlyGetsOfItsTwoPaths() throws Exception {
    try (ServiceEndpoints endpoints = ServiceEndpoints.start("127.0.0.1", 0, ProcessMeters.registry(), Optional::empty)) {
      assertThat(get(endpoints, "/metricsx").statusCode()).isEqualTo(404);
      assertThat(get(endpoints, "/").statusCode()).isEqualTo(404);
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(endpoints, "/health"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void listensOnTheConfiguredPort() throws Exception {
    int free;
    try (ServiceEndpoints any = ServiceEndpoints.start("127.0.0.1", 0, ProcessMeters.registry(), Optional::empty)) {
      free = any.port();
      assertThat(free).isPositive();
    }
    try (ServiceEndpoints endpoints = ServiceEndpoints.start("127.0.0.1", free, ProcessMeters.registry(), Optional::empty)) {
      assertThat(endpoints.port()).isEqualTo(free);
      assertThat(get(endpoints, "/health").statusCode()).isEqualTo(200);
    }
  }

  private HttpResponse<String> get(ServiceEndpoints endpoints, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(endpoints, path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(ServiceEndpoints endpoints, String path) {
    return URI.create("http://127.0.0.1:" + endpoints.port() + path);
  }
}
