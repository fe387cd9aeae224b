package io.reshape.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.Benefit;
import io.reshape.events.Cost;
import io.reshape.events.DeadLetterCause;
import io.reshape.events.Decision;
import io.reshape.events.Outcome;
import io.reshape.schemas.NewerSchemas;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.InMemorySchemaRegistry;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import java.time.Instant;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A newer version of Reshape adds an action or an outcome: what this version's readers make of
 * its records (the same against a real registry: SchemaRegistryIT).
 */
class EnumEvolutionTest {

  private static final String SCOPE = "enum-evolution";
  private static final Map<String, String> CONFIG = Map.of(RegistryConfig.URL, SchemaRegistryClient.IN_MEMORY_SCHEME + "://" + SCOPE);
  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  private final SchemaRegistryClient registry = SchemaRegistryClient.shared(RegistryConfig.from(CONFIG));
  private final RegistryAvroEncoder encoder = new RegistryAvroEncoder(registry);

  @AfterEach
  void forget() {
    InMemorySchemaRegistry.drop(SCOPE);
  }

  static Decision decision() {
    return Decision.newBuilder().setDecisionId("d-1").setCreatedAt(T).setAction(Action.PAGE_OUT).setVmId("vm-1")
        .setHostId("host-1").setReason("idle").setExpectedBenefit(new Benefit(1L, 0, 0.0, 0L)).setExpectedCost(new Cost(1L, 0L, 0L))
        .setDeadline(T.plusSeconds(300)).build();
  }

  static Actuation actuation() {
    return Actuation.newBuilder().setDecisionId("d-1").setAction(Action.PAGE_OUT).setVmId("vm-1").setHostId("host-1")
        .setOutcome(Outcome.APPLIED).setDecidedAt(T).setFinishedAt(T).setDriver("madvise").setDetail("paged out").build();
  }

  @Test
  void aDecisionWithAnActionAddedLaterIsReadAsUnknown() {
    String subject = Topics.DECISIONS.valueSubject();
    registry.register(subject, Decision.getClassSchema());
    Schema newer = NewerSchemas.withEnumSymbol(Decision.getClassSchema(), "Action", "HIBERNATE");
    assertThat(registry.testCompatibility(subject, newer).compatible()).as("a symbol more is BACKWARD-compatible").isTrue();

    byte[] written = encoder.encode(subject, NewerSchemas.withSymbol(decision(), newer, "action", "HIBERNATE"));
    Decision read = RegistryAvroDecoder.forType(registry, Decision.class).decode(written);

    assertThat(read.getAction()).isEqualTo(Action.UNKNOWN);
    assertThat(read.getDecisionId()).isEqualTo("d-1");
    assertThat(read.getDeadline()).isEqualTo(T.plusSeconds(300));
    assertThat(registry.latest(subject).version()).as("the newer schema was registered").isEqualTo(2);
  }

  @Test
  void anActuationWithAnOutcomeAddedLaterIsReadAsUnknown() {
    Schema newer = NewerSchemas.withEnumSymbol(Actuation.getClassSchema(), "Outcome", "ROLLED_BACK");
    GenericRecord rolledBack = NewerSchemas.withSymbol(actuation(), newer, "outcome", "ROLLED_BACK");
    Actuation read = RegistryAvroDecoder.forType(registry, Actuation.class).decode(encoder.encode(Topics.ACTUATIONS.valueSubject(), rolledBack));
    assertThat(read.getOutcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(read.getDriver()).isEqualTo("madvise");
  }

  @Test
  void withoutADefaultTheRecordWouldBeADeadLetterNeverACrash() throws Exception {
    ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(Decision.getClassSchema().toString());
    StreamSupport.stream(tree.get("fields").spliterator(), false).filter(f -> f.get("name").asText().equals("action"))
        .forEach(f -> ((ObjectNode) f.get("type")).remove("default"));
    Schema noDefault = new Schema.Parser().parse(tree.toString());
    assertThat(noDefault.getField("action").schema().getEnumDefault()).isNull();
    Schema newer = NewerSchemas.withEnumSymbol(Decision.getClassSchema(), "Action", "HIBERNATE");
    byte[] written = encoder.encode("no-default-value", NewerSchemas.withSymbol(decision(), newer, "action", "HIBERNATE"));

    assertThatThrownBy(() -> new RegistryAvroDecoder<GenericRecord>(registry, noDefault, false).decode(written))
        .isInstanceOfSatisfying(RecordDecodingException.class, e -> assertThat(e.kind()).isEqualTo(DeadLetterCause.UNDECODABLE_AVRO))
        .hasMessageContaining("HIBERNATE");
  }
}
