package io.reshape.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A schema registry in this JVM's memory, for tests of pure logic that go through the serdes:
 * ids, subjects, versions and compatibility levels behave as the Confluent protocol says (ids are
 * global and a schema keeps its id across subjects; BACKWARD by default), without a process or a
 * socket. Named scopes keep tests apart; {@link #drop(String)} forgets one.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

  private static final Map<String, Contents> SCOPES = new ConcurrentHashMap<>();

  private final Contents contents;
  private final RegistryConfig config;

  private InMemorySchemaRegistry(Contents contents, RegistryConfig config) {
    this.contents = contents;
    this.config = config;
  }

  /** The registry of {@code scope}, made on first use, seen through {@code config}. */
  public static InMemorySchemaRegistry scope(String scope, RegistryConfig config) {
    return new InMemorySchemaRegistry(SCOPES.computeIfAbsent(scope, s -> new Contents()), config);
  }

  /** Forgets what {@code scope} holds; clients of it see an empty registry from now on. */
  public static void drop(String scope) {
    Contents contents = SCOPES.get(scope);
    if (contents != null) {
      contents.clear();
    }
  }

  @Override
  public RegistryConfig config() {
    return config;
  }

  @Override
  public int register(String subject, Schema schema) {
    return contents.register(subject, schema);
  }

  @Override
  public int lookup(String subject, Schema schema) {
    return contents.lookup(subject, schema);
  }

  @Override
  public Schema schemaById(int id) {
    return contents.schemaById(id);
  }

  @Override
  public RegisteredSchema latest(String subject) {
    return contents.latest(subject);
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    return contents.test(subject, schema);
  }

  @Override
  public void setCompatibility(Compatibility level) {
    contents.setGlobal(level);
  }

  @Override
  public void setCompatibility(String subject, Compatibility level) {
    contents.setSubject(subject, level);
  }

  @Override
  public Compatibility compatibility() {
    return contents.global();
  }

  @Override
  public Compatibility compatibility(String subject) {
    return contents.levelOf(subject);
  }

  @Override
  public List<String> subjects() {
    return contents.subjects();
  }

  /** What one scope holds; every method is atomic. */
  private static final class Contents {
    private final List<Schema> schemas = new ArrayList<>();
    private final Map<String, List<Integer>> versions = new LinkedHashMap<>();
    private final Map<String, Compatibility> levels = new HashMap<>();
    private Compatibility global = Compatibility.BACKWARD;

    synchronized int register(String subject, Schema schema) {
      List<Integer> ids = versions.computeIfAbsent(subject, s -> new ArrayList<>());
      for (int id : ids) {
        if (schemas.get(id - 1).equals(schema)) {
          return id;
        }
      }
      CompatibilityResult result = test(subject, schema);
      if (!result.compatible()) {
        throw new SchemaRegistryException(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
            + subject + "\" (" + levelOf(subject) + "): " + result.messages());
      }
      int id = schemas.indexOf(schema) + 1;
      if (id == 0) {
        schemas.add(schema);
        id = schemas.size();
      }
      ids.add(id);
      return id;
    }

    synchronized int lookup(String subject, Schema schema) {
      for (int id : subjectVersions(subject)) {
        if (schemas.get(id - 1).equals(schema)) {
          return id;
        }
      }
      throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found under " + subject);
    }

    synchronized Schema schemaById(int id) {
      if (id < 1 || id > schemas.size()) {
        throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
      }
      return schemas.get(id - 1);
    }

    synchronized RegisteredSchema latest(String subject) {
      List<Integer> ids = subjectVersions(subject);
      int id = ids.get(ids.size() - 1);
      return new RegisteredSchema(subject, ids.size(), id, schemas.get(id - 1));
    }

    synchronized CompatibilityResult test(String subject, Schema candidate) {
      List<Integer> ids = versions.getOrDefault(subject, List.of());
      Compatibility level = levelOf(subject);
      List<Integer> against = level.transitive() || ids.isEmpty() ? ids : ids.subList(ids.size() - 1, ids.size());
      List<String> messages = new ArrayList<>();
      for (int id : against) {
        Schema earlier = schemas.get(id - 1);
        if (level.newReadsOld()) {
          problems(candidate, earlier, "new schema reading version with id " + id, messages);
        }
        if (level.oldReadsNew()) {
          problems(earlier, candidate, "version with id " + id + " reading the new schema", messages);
        }
      }
      return new CompatibilityResult(messages.isEmpty(), List.copyOf(messages));
    }

    synchronized void setGlobal(Compatibility level) {
      global = level;
    }

    synchronized void setSubject(String subject, Compatibility level) {
      levels.put(subject, level);
    }

    synchronized Compatibility global() {
      return global;
    }

    synchronized Compatibility levelOf(String subject) {
      return levels.getOrDefault(subject, global);
    }

    synchronized List<String> subjects() {
      return versions.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    synchronized void clear() {
      schemas.clear();
      versions.clear();
      levels.clear();
      global = Compatibility.BACKWARD;
    }

    private List<Integer> subjectVersions(String subject) {
      List<Integer> ids = versions.get(subject);
      if (ids == null || ids.isEmpty()) {
        throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject " + subject + " not found");
      }
      return ids;
    }

    private static void problems(Schema reader, Schema writer, String what, List<String> into) {
      SchemaCompatibility.SchemaPairCompatibility pair = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
      if (pair.getType() != SchemaCompatibilityType.COMPATIBLE) {
        pair.getResult().getIncompatibilities().forEach(i -> into.add(what + ": " + i.getType() + " at " + i.getLocation()
            + " (" + i.getMessage() + ")"));
      }
    }
  }
}
