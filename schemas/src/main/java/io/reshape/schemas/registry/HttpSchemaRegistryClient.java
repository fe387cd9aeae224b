package io.reshape.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The client of a real registry over the Confluent Schema Registry REST protocol (Confluent's registry, or Apicurio's
 * compatible API at {@code /apis/ccompat/v7}). Schemas and ids are cached: a schema id never
 * changes its meaning, so each id is fetched once per client, and each schema registered once.
 * Requests that fail for a transient reason are retried with exponential backoff, moving to the
 * next URL of the list each time.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  private static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryConfig config;
  private final HttpClient http;
  private final Optional<String> authorization;
  private final AtomicInteger urlIndex = new AtomicInteger();
  /** How many times a registration is tried when the registry answers with the id of another schema. */
  private static final int ID_CHECKS = 3;

  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  private record SubjectSchema(String subject, Schema schema) {}

  public HttpSchemaRegistryClient(RegistryConfig config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
    this.authorization = config.userInfo().map(userInfo ->
        "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public RegistryConfig config() {
    return config;
  }

  /**
   * Registers one schema at a time in this process, and checks the id the registry answers against
   * the schema it holds under that id before anything is framed with it: Apicurio 3.0.9, given
   * several registrations at once while a stack starts, once answered one with the id of another
   * schema, and every record framed with it was unreadable.
   */
  @Override
  public synchronized int register(String subject, Schema schema) {
    Integer cached = idsBySubjectSchema.get(new SubjectSchema(subject, schema));
    if (cached != null) {
      return cached;
    }
    String path = "/subjects/" + encode(subject) + "/versions";
    for (int attempt = 1; ; attempt++) {
      int id = number(call("POST", path, schemaBody(schema)), "id", "POST " + path);
      Schema stored = fetch(id);
      if (sameSchema(stored, schema)) {
        return remember(subject, schema, id);
      }
      if (attempt == ID_CHECKS) {
        throw new SchemaRegistryException(200, 0, "The schema registry answered POST " + path + " for " + schema.getFullName()
            + " with id " + id + ", which it holds as " + stored.getFullName() + ", " + ID_CHECKS + " times");
      }
    }
  }

  private static boolean sameSchema(Schema stored, Schema registered) {
    return stored.getFullName().equals(registered.getFullName())
        && SchemaNormalization.parsingFingerprint64(stored) == SchemaNormalization.parsingFingerprint64(registered);
  }

  @Override
  public int lookup(String subject, Schema schema) {
    Integer cached = idsBySubjectSchema.get(new SubjectSchema(subject, schema));
    if (cached != null) {
      return cached;
    }
    String path = "/subjects/" + encode(subject);
    JsonNode answer = call("POST", path, schemaBody(schema));
    return remember(subject, schema, number(answer, "id", "POST " + path));
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    Schema parsed = fetch(id);
    Schema previous = schemasById.putIfAbsent(id, parsed);
    return previous != null ? previous : parsed;
  }

  /** The schema the registry holds under {@code id}, asked for now. */
  private Schema fetch(int id) {
    JsonNode answer = call("GET", "/schemas/ids/" + id, null);
    String type = answer.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException(200, 0, "Schema id " + id + " is a " + type + " schema, not Avro");
    }
    return new Schema.Parser().parse(answer.path("schema").asText());
  }

  @Override
  public RegisteredSchema latest(String subject) {
    String path = "/subjects/" + encode(subject) + "/versions/latest";
    JsonNode answer = call("GET", path, null);
    int id = number(answer, "id", "GET " + path);
    int version = number(answer, "version", "GET " + path);
    Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
    schemasById.putIfAbsent(id, schema);
    return new RegisteredSchema(answer.path("subject").asText(subject), version, id, schema);
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    JsonNode answer = call("POST",
        "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true", schemaBody(schema));
    List<String> messages = new ArrayList<>();
    answer.path("messages").forEach(m -> messages.add(m.asText()));
    return new CompatibilityResult(answer.path("is_compatible").asBoolean(false), List.copyOf(messages));
  }

  @Override
  public void setCompatibility(Compatibility level) {
    call("PUT", "/config", compatibilityBody(level));
  }

  @Override
  public void setCompatibility(String subject, Compatibility level) {
    call("PUT", "/config/" + encode(subject), compatibilityBody(level));
  }

  @Override
  public Compatibility compatibility() {
    return parseCompatibility(call("GET", "/config", null));
  }

  @Override
  public Compatibility compatibility(String subject) {
    return parseCompatibility(call("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null));
  }

  @Override
  public List<String> subjects() {
    List<String> subjects = new ArrayList<>();
    call("GET", "/subjects", null).forEach(s -> subjects.add(s.asText()));
    return subjects;
  }

  private int remember(String subject, Schema schema, int id) {
    idsBySubjectSchema.putIfAbsent(new SubjectSchema(subject, schema), id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  /**
   * A whole number the registry must answer. Reading it leniently would turn a missing id into 0,
   * and frames would then name a schema that is not theirs.
   */
  private static int number(JsonNode answer, String field, String request) {
    JsonNode value = answer.path(field);
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
      throw new SchemaRegistryException(200, 0, "The schema registry answered " + request + " without a valid '" + field
          + "' (a whole number was expected): " + answer);
    }
    return value.intValue();
  }

  private static ObjectNode schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString());
  }

  private static ObjectNode compatibilityBody(Compatibility level) {
    return JSON.createObjectNode().put("compatibility", level.name());
  }

  private static Compatibility parseCompatibility(JsonNode answer) {
    // Confluent answers "compatibilityLevel" on GET and "compatibility" on PUT.
    String level = answer.has("compatibilityLevel")
        ? answer.path("compatibilityLevel").asText()
        : answer.path("compatibility").asText();
    return Compatibility.valueOf(level);
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode call(String method, String path, JsonNode body) {
    Duration wait = config.retriesWait();
    for (int attempt = 0; ; attempt++) {
      URI base = config.urls().get(Math.floorMod(urlIndex.get(), config.urls().size()));
      try {
        return send(base, method, path, body);
      } catch (SchemaRegistryException e) {
        if (!e.isTransient() || attempt >= config.maxRetries()) {
          throw e;
        }
        urlIndex.incrementAndGet();
        sleep(wait);
        Duration doubled = wait.multipliedBy(2);
        wait = doubled.compareTo(config.retriesMaxWait()) > 0 ? config.retriesMaxWait() : doubled;
      }
    }
  }

  private JsonNode send(URI base, String method, String path, JsonNode body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(config.readTimeout())
        .header("Accept", MEDIA_TYPE)
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", MEDIA_TYPE);
    }
    authorization.ifPresent(a -> request.header("Authorization", a));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryException(method + " " + base + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(method + " " + base + path + " was interrupted", e);
    }
    JsonNode answer = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      String message = answer.path("message").asText(response.body());
      throw new SchemaRegistryException(response.statusCode(), answer.path("error_code").asInt(response.statusCode()),
          "Schema registry refused " + method + " " + path + " (HTTP " + response.statusCode() + "): " + message);
    }
    return answer;
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.createObjectNode().put("message", text);
    }
  }

  private static void sleep(Duration wait) {
    // Jitter keeps many clients that failed together from retrying together.
    long millis = wait.toMillis() / 2 + ThreadLocalRandom.current().nextLong(wait.toMillis() / 2 + 1);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("Interrupted while waiting to retry", e);
    }
  }
}
