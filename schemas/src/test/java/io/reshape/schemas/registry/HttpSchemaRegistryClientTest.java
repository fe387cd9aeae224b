package io.reshape.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's own logic (retries, failover, authentication, caching) against a scripted HTTP
 * server; the protocol itself is tested against a real registry in the local-stack module.
 */
class HttpSchemaRegistryClientTest {

  private static final Schema SCHEMA = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");

  private static final Schema OTHER = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"b\",\"type\":\"long\"}]}");

  private record Answer(int status, String body) {}

  /** The answer to GET /schemas/ids/N: the schema the registry holds under N. */
  private static Answer holds(Schema schema) {
    return new Answer(200, "{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(schema.toString()) + "}");
  }

  private HttpServer server;
  private final Deque<Answer> answers = new ArrayDeque<>();
  private final List<HttpExchange> requests = new ArrayList<>();
  private final List<String> authorizations = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      synchronized (this) {
        requests.add(exchange);
        authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        Answer answer = answers.isEmpty() ? new Answer(500, "{\"error_code\":500,\"message\":\"no answer scripted\"}") : answers.poll();
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private HttpSchemaRegistryClient client(Map<String, Object> more) {
    Map<String, Object> config = new java.util.HashMap<>(Map.of(
        "schema.registry.url", url(), "retries.wait.ms", "1", "retries.max.wait.ms", "5", "max.retries", "3"));
    config.putAll(more);
    return new HttpSchemaRegistryClient(RegistryConfig.from(config));
  }

  @Test
  void retriesTransientFailuresThenSucceeds() {
    answers.add(new Answer(503, "{\"error_code\":50301,\"message\":\"busy\"}"));
    answers.add(new Answer(503, "{\"error_code\":50301,\"message\":\"busy\"}"));
    answers.add(new Answer(200, "{\"id\":7}"));
    answers.add(holds(SCHEMA));
    assertThat(client(Map.of()).register("s-value", SCHEMA)).isEqualTo(7);
    assertThat(requests).hasSize(4);
    assertThat(requests.get(0).getRequestURI().getPath()).isEqualTo("/subjects/s-value/versions");
    assertThat(requests.get(3).getRequestURI().getPath()).as("the id checked").isEqualTo("/schemas/ids/7");
  }

  @Test
  void anIdTheRegistryHoldsAnotherSchemaUnderIsNeverUsed() {
    answers.add(new Answer(200, "{\"id\":7}"));
    answers.add(holds(OTHER));
    answers.add(new Answer(200, "{\"id\":8}"));
    answers.add(holds(SCHEMA));
    SchemaRegistryClient client = client(Map.of());
    assertThat(client.register("s-value", SCHEMA)).isEqualTo(8);
    assertThat(client.schemaById(8)).isEqualTo(SCHEMA);

    for (int i = 0; i < 3; i++) {
      answers.add(new Answer(200, "{\"id\":7}"));
      answers.add(holds(OTHER));
    }
    assertThatThrownBy(() -> client(Map.of()).register("s-value", SCHEMA))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("with id 7, which it holds as Other, 3 times");
  }

  @Test
  void givesUpAfterTheRetriesWithTheLastError() {
    for (int i = 0; i < 10; i++) {
      answers.add(new Answer(503, "{\"error_code\":50301,\"message\":\"still busy\"}"));
    }
    assertThatThrownBy(() -> client(Map.of()).register("s-value", SCHEMA))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isTransient()).isTrue())
        .hasMessageContaining("still busy");
    assertThat(requests).hasSize(4);
  }

  @Test
  void aRefusalIsNotRetriedAndCarriesTheRegistrysMessage() {
    answers.add(new Answer(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}"));
    assertThatThrownBy(() -> client(Map.of()).register("s-value", SCHEMA))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.isTransient()).isFalse();
        })
        .hasMessageContaining("incompatible");
    assertThat(requests).hasSize(1);
  }

  @Test
  void sendsBasicAuthentication() {
    answers.add(new Answer(200, "{\"id\":1}"));
    answers.add(holds(SCHEMA));
    client(Map.of("basic.auth.user.info", "alice:s3cret")).register("s-value", SCHEMA);
    assertThat(authorizations).containsOnly(
        "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void movesToTheNextUrlWhenOneIsDown() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    answers.add(new Answer(200, "{\"id\":3}"));
    answers.add(holds(SCHEMA));
    SchemaRegistryClient client = client(Map.of("schema.registry.url", "http://127.0.0.1:" + closedPort + "," + url()));
    assertThat(client.register("s-value", SCHEMA)).isEqualTo(3);
  }

  @Test
  void fetchesEachIdOnceAndKeepsItsSchemaInstance() {
    answers.add(holds(SCHEMA));
    SchemaRegistryClient client = client(Map.of());
    Schema first = client.schemaById(5);
    assertThat(client.schemaById(5)).isSameAs(first).isEqualTo(SCHEMA);
    assertThat(requests).hasSize(1);
  }

  @Test
  void anUnknownIdSaysSo() {
    answers.add(new Answer(404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}"));
    assertThatThrownBy(() -> client(Map.of()).schemaById(99))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isSchemaNotFound()).isTrue());
  }

  @Test
  void registersOnlyWhenAllowed() {
    answers.add(new Answer(200, "{\"subject\":\"s-value\",\"version\":1,\"id\":4}"));
    assertThat(client(Map.of("auto.register.schemas", "false")).idForWriting("s-value", SCHEMA)).isEqualTo(4);
    assertThat(requests.get(0).getRequestURI().getPath()).isEqualTo("/subjects/s-value");
  }

  @Test
  void anAnswerWithoutANumericIdIsAnErrorNamingTheAnswer() {
    List<String> bodies = List.of("{\"version\":1}", "{\"id\":\"4\"}", "{\"id\":4.5}", "{\"id\":null}", "{\"id\":-1}",
        "{\"id\":99999999999}");
    for (String body : bodies) {
      answers.add(new Answer(200, body));
      assertThatThrownBy(() -> client(Map.of()).register("s-value", SCHEMA))
          .as(body)
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining("POST /subjects/s-value/versions")
          .hasMessageContaining("'id'")
          .hasMessageContaining(body.replace(" ", ""));
    }
    answers.add(new Answer(200, "{\"subject\":\"s-value\",\"id\":4,\"schema\":\"\\\"int\\\"\"}"));
    assertThatThrownBy(() -> client(Map.of()).latest("s-value"))
        .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("'version'");
    answers.add(new Answer(200, "{}"));
    assertThatThrownBy(() -> client(Map.of("auto.register.schemas", "false")).idForWriting("s-value", SCHEMA))
        .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("POST /subjects/s-value without a valid 'id'");
  }
}
