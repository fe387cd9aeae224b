package io.reshape.local.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** GETs of JSON from the stack's HTTP APIs (Flink's REST API, Prometheus', the services' health). */
final class HttpJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HttpJson() {}

  /** The body of a 200 answer, none when the server does not answer or answers otherwise. */
  static Optional<String> text(String url) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Optional<JsonNode> get(String url) {
    return text(url).map(body -> {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException(url + " answered no JSON: " + body, e);
      }
    });
  }
}
