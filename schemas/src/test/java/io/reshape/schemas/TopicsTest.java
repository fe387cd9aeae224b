package io.reshape.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void topicNamesAreUniqueAndLookedUpByName() {
    Set<String> names = new HashSet<>();
    for (Topic<?> topic : Topics.ALL) {
      assertThat(names.add(topic.name())).as("duplicate topic %s", topic).isTrue();
      assertThat(Topics.named(topic.name())).contains(topic);
    }
    assertThat(Topics.named("no-such-topic")).isEmpty();
  }

  @Test
  void onlyStateTopicsAreCompacted() {
    assertThat(Topics.ALL).filteredOn(t -> t.cleanup() == Topic.Cleanup.COMPACT)
        .containsExactly(Topics.INVENTORY, Topics.COLLECTOR_POSITIONS);
    assertThat(Topics.INVENTORY.brokerConfig()).containsEntry("cleanup.policy", "compact");
    assertThat(Topics.QUANTA.brokerConfig()).containsEntry("cleanup.policy", "delete").containsEntry("retention.ms", "86400000");
  }

  @Test
  void everyFieldOfEveryTopicSchemaSaysWhatItIs() {
    List<String> undocumented = new ArrayList<>();
    for (Schema type : namedTypes().values()) {
      if (type.getDoc() == null || type.getDoc().isBlank()) {
        undocumented.add(type.getFullName());
      }
      if (type.getType() == Schema.Type.RECORD) {
        type.getFields().stream().filter(f -> f.doc() == null || f.doc().isBlank())
            .forEach(f -> undocumented.add(type.getFullName() + "." + f.name()));
      }
    }
    assertThat(undocumented).isEmpty();
  }

  @Test
  void everyEnumReadsASymbolANewerSchemaAddsAsUnknown() {
    List<Schema> enums = namedTypes().values().stream().filter(t -> t.getType() == Schema.Type.ENUM).toList();
    assertThat(enums).extracting(Schema::getName).contains("Action", "Outcome", "VmState", "DirtyPageSource");
    assertThat(enums).allSatisfy(e -> {
      assertThat(e.getEnumDefault()).as(e.getFullName()).isEqualTo("UNKNOWN");
      assertThat(e.getDoc()).as(e.getFullName()).contains("UNKNOWN: ");
    });
  }

  @Test
  void decisionsAndCommandsAreKeptNoLongerThanTheActuatorRemembersThem() {
    assertThat(List.of(Topics.DECISIONS, Topics.COMMANDS)).allSatisfy(topic -> {
      assertThat(topic.retention()).isEqualTo(Topics.DECISION_MEMORY);
      assertThat(topic.brokerConfig())
          .containsEntry("retention.ms", Long.toString(Topics.DECISION_MEMORY.toMillis()))
          .containsEntry("segment.ms", Long.toString(Topics.DECISION_MEMORY.toMillis() / 4));
    });
  }

  @Test
  void everyDecisionAndCommandCarriesADeadline() {
    assertThat(List.of(Topics.DECISIONS, Topics.COMMANDS)).allSatisfy(topic ->
        assertThat(topic.valueSchema().getField("deadline").schema().getType()).as(topic.name()).isEqualTo(Schema.Type.LONG));
  }

  @Test
  void everyTimestampIsEventTimeInMicroseconds() {
    List<String> wrong = new ArrayList<>();
    for (Topic<?> topic : Topics.ALL) {
      for (Schema.Field field : topic.valueSchema().getFields()) {
        boolean looksLikeTime = field.name().endsWith("At") || field.name().startsWith("interval")
            || field.name().equals("deadline") || field.name().equals("stateSince");
        if (looksLikeTime && !isTimestampMicros(field.schema())) {
          wrong.add(topic + "." + field.name());
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void subjectsFollowTheTopicNameStrategy() {
    assertThat(Topics.DECISIONS.valueSubject()).isEqualTo("decisions-value");
    assertThat(Topics.DECISIONS.valueSchema().getFullName()).isEqualTo("io.reshape.events.Decision");
  }

  private static boolean isTimestampMicros(Schema schema) {
    if (schema.getType() == Schema.Type.UNION) {
      return schema.getTypes().stream().anyMatch(TopicsTest::isTimestampMicros);
    }
    return schema.getLogicalType() instanceof LogicalTypes.TimestampMicros;
  }

  /** Every record and enum a topic's values are made of, by full name. */
  private static Map<String, Schema> namedTypes() {
    Map<String, Schema> named = new TreeMap<>();
    Topics.ALL.forEach(topic -> collectNamed(topic.valueSchema(), named));
    return named;
  }

  private static void collectNamed(Schema schema, Map<String, Schema> named) {
    switch (schema.getType()) {
      case RECORD -> {
        if (named.putIfAbsent(schema.getFullName(), schema) == null) {
          schema.getFields().forEach(field -> collectNamed(field.schema(), named));
        }
      }
      case ENUM -> named.putIfAbsent(schema.getFullName(), schema);
      case UNION -> schema.getTypes().forEach(t -> collectNamed(t, named));
      case ARRAY -> collectNamed(schema.getElementType(), named);
      case MAP -> collectNamed(schema.getValueType(), named);
      default -> { }
    }
  }
}
