package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reshape.events.Action;
import io.reshape.events.Benefit;
import io.reshape.events.Cost;
import io.reshape.events.DeadLetterCause;
import io.reshape.events.Decision;
import io.reshape.events.QuantumSample;
import io.reshape.schemas.NewerSchemas;
import io.reshape.schemas.Topics;
import io.reshape.schemas.flink.FlinkRegistryFormats;
import io.reshape.schemas.registry.Compatibility;
import io.reshape.schemas.registry.HttpSchemaRegistryClient;
import io.reshape.schemas.registry.RegisteredSchema;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.registry.SchemaRegistryException;
import io.reshape.schemas.serde.RecordDecodingException;
import io.reshape.schemas.serde.RegistryAvroDecoder;
import io.reshape.schemas.serde.RegistryAvroDeserializer;
import io.reshape.schemas.serde.RegistryAvroEncoder;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The registry client, the serdes and schema evolution, against a real Apicurio Registry. */
@Timeout(180)
class SchemaRegistryIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema A_INT = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"A\",\"namespace\":\"it\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
  private static final Schema A_STRING = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"A\",\"namespace\":\"it\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");

  private static Map<String, String> config;
  private static SchemaRegistryClient registry;

  @BeforeAll
  static void registry() throws Exception {
    config = SharedRegistry.config();
    registry = SharedRegistry.client();
  }

  static QuantumSample sample() {
    Instant end = Instant.parse("2026-03-01T12:00:01Z");
    return QuantumSample.newBuilder().setVmId("vm-1").setHostId("host-1").setVcpu(0)
        .setIntervalStart(end.minusSeconds(1)).setIntervalEnd(end).setRunNs(1_000).setRunqueueWaitNs(0)
        .setHaltNs(900_000_000L).setHaltExits(40L).setVoluntarySwitches(40).setInvoluntarySwitches(1).build();
  }

  @Test
  void registersFetchesByIdAndFindsTheLatestVersion() {
    int id = registry.register("it-basics-value", A_INT);
    assertThat(registry.register("it-basics-value", A_INT)).as("registering again is a no-op").isEqualTo(id);
    assertThat(new HttpSchemaRegistryClient(registry.config()).schemaById(id)).isEqualTo(A_INT);
    RegisteredSchema latest = registry.latest("it-basics-value");
    assertThat(latest.version()).isEqualTo(1);
    assertThat(latest.id()).isEqualTo(id);
    assertThat(latest.schema()).isEqualTo(A_INT);
    assertThat(registry.subjects()).contains("it-basics-value");
  }

  @Test
  void anIncompatibleSchemaIsRefusedWithTheRegistrysMessage() {
    registry.setCompatibility("it-compat-value", Compatibility.BACKWARD);
    assertThat(registry.compatibility("it-compat-value")).isEqualTo(Compatibility.BACKWARD);
    registry.register("it-compat-value", A_INT);

    assertThat(registry.testCompatibility("it-compat-value", A_STRING).compatible()).isFalse();
    assertThatThrownBy(() -> registry.register("it-compat-value", A_STRING))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessageContaining("Incompatible")
        .hasMessageContaining("reader type: STRING not compatible with writer type: INT");
  }

  @Test
  void theStackRunsWithBackwardCompatibilityByDefault() throws Exception {
    registry.setCompatibility(Compatibility.BACKWARD);
    assertThat(registry.compatibility()).isEqualTo(Compatibility.BACKWARD);
  }

  @Test
  void kafkaSerdeAndFlinkFormatWriteTheSameBytes() throws Exception {
    RegistryAvroSerializer<QuantumSample> kafkaWriter = new RegistryAvroSerializer<>();
    kafkaWriter.configure(config, false);
    RegistryAvroDeserializer<QuantumSample> kafkaReader = new RegistryAvroDeserializer<>(QuantumSample.class);
    kafkaReader.configure(config, false);

    byte[] fromKafka = kafkaWriter.serialize(Topics.QUANTA.name(), sample());
    byte[] fromFlink = FlinkRegistryFormats.serializer(Topics.QUANTA, config).serialize(sample());

    assertThat(fromFlink).isEqualTo(fromKafka);
    assertThat(fromKafka[0]).isZero();
    assertThat(kafkaReader.deserialize(Topics.QUANTA.name(), fromFlink)).isEqualTo(sample());
  }

  @Test
  void aReaderWithTheNextVersionReadsRecordsWrittenWithThisOne() throws Exception {
    String subject = "it-evolution-value";
    RegistryAvroSerializer<QuantumSample> writer = new RegistryAvroSerializer<>();
    writer.configure(config, false);
    registry.setCompatibility(subject, Compatibility.BACKWARD);
    byte[] written = writer.serialize("it-evolution", sample());

    Schema next = withField(QuantumSample.getClassSchema(), "stealNs", "long", 0,
        "Time the vCPU was ready but the host ran something else, nanoseconds.");
    registry.register(subject, next);
    assertThat(registry.latest(subject).version()).isEqualTo(2);

    GenericRecord read = new RegistryAvroDecoder<GenericRecord>(registry, next, false).decode(written);
    assertThat(read.get("stealNs")).isEqualTo(0L);
    assertThat(read.get("vmId").toString()).isEqualTo("vm-1");
    assertThat(read.get("haltNs")).isEqualTo(900_000_000L);

    Schema breaking = withField(QuantumSample.getClassSchema(), "tenant", "string", null, "Owner of the VM.");
    assertThatThrownBy(() -> registry.register(subject, breaking))
        .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("Incompatible");
  }

  @Test
  void aDecisionWithAnActionAddedLaterIsAcceptedAsBackwardAndReadAsUnknown() {
    String subject = "it-enum-evolution-value";
    registry.setCompatibility(subject, Compatibility.BACKWARD);
    registry.register(subject, Decision.getClassSchema());
    Schema newer = NewerSchemas.withEnumSymbol(Decision.getClassSchema(), "Action", "HIBERNATE");
    assertThat(registry.testCompatibility(subject, newer).compatible()).isTrue();
    int id = registry.register(subject, newer);
    assertThat(registry.latest(subject).id()).isEqualTo(id);

    Decision written = Decision.newBuilder().setDecisionId("d-1").setCreatedAt(Instant.parse("2026-03-01T12:00:00Z"))
        .setAction(Action.PAGE_OUT).setVmId("vm-1").setHostId("host-1").setReason("idle")
        .setExpectedBenefit(new Benefit(1L, 0, 0.0, 0L)).setExpectedCost(new Cost(1L, 0L, 0L))
        .setDeadline(Instant.parse("2026-03-01T12:05:00Z")).build();
    byte[] bytes = new RegistryAvroEncoder(registry).encode(subject, NewerSchemas.withSymbol(written, newer, "action", "HIBERNATE"));
    RegistryAvroDeserializer<Decision> reader = new RegistryAvroDeserializer<>(Decision.class);
    reader.configure(config, false);
    Decision read = reader.deserialize("it-enum-evolution", bytes);

    assertThat(read.getAction()).isEqualTo(Action.UNKNOWN);
    assertThat(read).isEqualTo(Decision.newBuilder(written).setAction(Action.UNKNOWN).build());
  }

  @Test
  void bytesThatAreNotARecordSayWhy() {
    RegistryAvroDeserializer<QuantumSample> reader = new RegistryAvroDeserializer<>(QuantumSample.class);
    reader.configure(config, false);
    int id = registry.register(Topics.QUANTA.valueSubject(), QuantumSample.getClassSchema());

    assertThat(causeOf(reader, "plain text".getBytes())).isEqualTo(DeadLetterCause.MALFORMED_FRAME);
    assertThat(causeOf(reader, header(987_654, new byte[] {2, 4}))).isEqualTo(DeadLetterCause.UNKNOWN_SCHEMA_ID);
    assertThat(causeOf(reader, header(id, new byte[] {10, 118, 109}))).isEqualTo(DeadLetterCause.UNDECODABLE_AVRO);
    int other = registry.register("it-other-value", A_INT);
    assertThat(causeOf(reader, header(other, new byte[] {2}))).as("another type's schema").isEqualTo(DeadLetterCause.UNDECODABLE_AVRO);
  }

  static byte[] header(int id, byte[] body) {
    ByteBuffer bytes = ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body);
    return bytes.array();
  }

  private static DeadLetterCause causeOf(RegistryAvroDeserializer<QuantumSample> reader, byte[] bytes) {
    try {
      reader.deserialize(Topics.QUANTA.name(), bytes);
    } catch (RecordDecodingException e) {
      assertThat(e.getMessage()).isNotBlank();
      return e.kind();
    }
    throw new AssertionError("decoded " + Arrays.toString(bytes));
  }

  private static Schema withField(Schema schema, String name, String type, Object defaultValue, String doc) throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
    ObjectNode field = ((ArrayNode) json.get("fields")).addObject().put("name", name).put("type", type).put("doc", doc);
    if (defaultValue != null) {
      field.putPOJO("default", defaultValue);
    }
    return new Schema.Parser().parse(json.toString());
  }
}
