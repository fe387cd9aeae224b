package io.reshape.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    for (Topic<?> topic : Topics.ALL) {
      collectUndocumented(topic.valueSchema(), new HashSet<>(), undocumented);
    }
    assertThat(undocumented).isEmpty();
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

  private static void collectUndocumented(Schema schema, Set<String> visited, List<String> out) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!visited.add(schema.getFullName())) {
          return;
        }
        if (schema.getDoc() == null || schema.getDoc().isBlank()) {
          out.add(schema.getFullName());
        }
        for (Schema.Field field : schema.getFields()) {
          if (field.doc() == null || field.doc().isBlank()) {
            out.add(schema.getFullName() + "." + field.name());
          }
          collectUndocumented(field.schema(), visited, out);
        }
      }
      case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, visited, out));
      case ARRAY -> collectUndocumented(schema.getElementType(), visited, out);
      case MAP -> collectUndocumented(schema.getValueType(), visited, out);
      case ENUM -> {
        if (visited.add(schema.getFullName()) && (schema.getDoc() == null || schema.getDoc().isBlank())) {
          out.add(schema.getFullName());
        }
      }
      default -> { }
    }
  }
}
