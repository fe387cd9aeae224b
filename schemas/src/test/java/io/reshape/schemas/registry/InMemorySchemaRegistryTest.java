package io.reshape.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-memory registry answers as the protocol says a real one does. */
class InMemorySchemaRegistryTest {

  private static final Schema A_INT = record("{\"name\":\"a\",\"type\":\"int\"}");
  private static final Schema A_INT_B_DEFAULT = record("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"long\",\"default\":0}");
  private static final Schema A_INT_B_REQUIRED = record("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"long\"}");

  private final SchemaRegistryClient registry =
      SchemaRegistryClient.shared(RegistryConfig.from(Map.of(RegistryConfig.URL, "mock://in-memory-test")));

  private static Schema record(String fields) {
    return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\",\"fields\":[" + fields + "]}");
  }

  @AfterEach
  void forget() {
    InMemorySchemaRegistry.drop("in-memory-test");
  }

  @Test
  void aMockUrlGivesOneRegistryPerScope() {
    assertThat(registry).isInstanceOf(InMemorySchemaRegistry.class);
    int id = registry.register("s-value", A_INT);
    SchemaRegistryClient sameScope = InMemorySchemaRegistry.scope("in-memory-test", registry.config());
    assertThat(sameScope.schemaById(id)).isEqualTo(A_INT);
    SchemaRegistryClient otherScope = SchemaRegistryClient.shared(RegistryConfig.from(Map.of(RegistryConfig.URL, "mock://elsewhere")));
    assertThatThrownBy(() -> otherScope.schemaById(id)).isInstanceOfSatisfying(SchemaRegistryException.class,
        e -> assertThat(e.isSchemaNotFound()).isTrue());
  }

  @Test
  void idsAreGlobalAndASchemaKeepsItsIdAcrossSubjects() {
    int id = registry.register("a-value", A_INT);
    assertThat(registry.register("a-value", A_INT)).isEqualTo(id);
    assertThat(registry.register("b-value", A_INT)).isEqualTo(id);
    int next = registry.register("a-value", A_INT_B_DEFAULT);
    assertThat(next).isNotEqualTo(id);
    assertThat(registry.lookup("b-value", A_INT)).isEqualTo(id);
    assertThat(registry.latest("a-value")).isEqualTo(new RegisteredSchema("a-value", 2, next, A_INT_B_DEFAULT));
    assertThat(registry.subjects()).containsExactly("a-value", "b-value");
  }

  @Test
  void backwardIsTheDefaultAndRefusesAFieldWithoutADefault() {
    registry.register("c-value", A_INT);
    assertThat(registry.compatibility("c-value")).isEqualTo(Compatibility.BACKWARD);
    CompatibilityResult result = registry.testCompatibility("c-value", A_INT_B_REQUIRED);
    assertThat(result.compatible()).isFalse();
    assertThat(result.messages()).singleElement().asString().contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThatThrownBy(() -> registry.register("c-value", A_INT_B_REQUIRED))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(409));

    registry.setCompatibility("c-value", Compatibility.NONE);
    registry.register("c-value", A_INT_B_REQUIRED);
    assertThat(registry.compatibility()).isEqualTo(Compatibility.BACKWARD);
  }

  @Test
  void forwardChecksThatEarlierVersionsReadTheNewOne() {
    registry.setCompatibility("f-value", Compatibility.FORWARD);
    registry.register("f-value", A_INT_B_REQUIRED);
    assertThat(registry.testCompatibility("f-value", A_INT).compatible()).as("the old reader ignores nothing it needs").isFalse();
    registry.setCompatibility("f-value", Compatibility.BACKWARD);
    assertThat(registry.testCompatibility("f-value", A_INT).compatible()).isTrue();
  }

  @Test
  void unknownIdsAndSubjectsAreNotFound() {
    assertThatThrownBy(() -> registry.schemaById(42)).isInstanceOfSatisfying(SchemaRegistryException.class,
        e -> assertThat(e.isSchemaNotFound()).isTrue());
    assertThatThrownBy(() -> registry.latest("nothing-value")).isInstanceOfSatisfying(SchemaRegistryException.class,
        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    registry.register("d-value", A_INT);
    assertThatThrownBy(() -> registry.lookup("d-value", A_INT_B_DEFAULT)).isInstanceOfSatisfying(SchemaRegistryException.class,
        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
  }
}
