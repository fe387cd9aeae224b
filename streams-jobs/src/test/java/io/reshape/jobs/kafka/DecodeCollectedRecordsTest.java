package io.reshape.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import io.reshape.events.QuantumSample;
import io.reshape.jobs.idleness.QuantumSampleCheck;
import io.reshape.jobs.inventory.FleetMember;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.serde.DeadLetters;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecodeCollectedRecordsTest {

  private static final Map<String, String> REGISTRY =
      Map.of(RegistryConfig.URL, "mock://decode-collected-records", RegistryConfig.AUTO_REGISTER_SCHEMAS, "true");
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(20);

  private final RegistryAvroSerializer<QuantumSample> serializer = new RegistryAvroSerializer<>();
  private TwoInputStreamOperatorTestHarness<RawRecord, FleetMember, QuantumSample> harness;
  private long offset;

  private static DecodeCollectedRecords<QuantumSample> decoder() {
    return new DecodeCollectedRecords<>(QuantumSample.class, REGISTRY, "idleness/decode-quanta", new QuantumSampleCheck(),
        new FleetRefs<>(QuantumSample::getVmId, QuantumSample::getHostId), Duration.ofMinutes(5), GRACE);
  }

  @BeforeEach
  void open() throws Exception {
    serializer.configure(REGISTRY, false);
    harness = new TwoInputStreamOperatorTestHarness<>(decoder());
    harness.setProcessingTime(T0.toEpochMilli());
    harness.open();
    list(InventoryKeys.host("host-1"));
    list(InventoryKeys.vm("vm-a"));
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void list(String key) throws Exception {
    harness.processElement2(FleetMember.listed(key), 0);
  }

  /** A quantum sample of {@code vm} ending {@code second} s after T0, as the collector writes it. */
  private RawRecord sample(String vm, String host, long second) {
    Instant end = T0.plusSeconds(second);
    QuantumSample sample = QuantumSample.newBuilder().setVmId(vm).setHostId(host).setVcpu(0)
        .setIntervalStart(end.minusSeconds(1)).setIntervalEnd(end).setRunNs(1_000).setRunqueueWaitNs(0)
        .setVoluntarySwitches(1).setInvoluntarySwitches(0).build();
    return new RawRecord(Topics.QUANTA.name(), 0, offset++, end.toEpochMilli(), vm.getBytes(),
        serializer.serialize(Topics.QUANTA.name(), sample));
  }

  private void process(RawRecord record) throws Exception {
    harness.processElement1(record, record.timestamp);
  }

  private void advance(long second) throws Exception {
    harness.processWatermark1(new Watermark(T0.plusSeconds(second).toEpochMilli()));
    harness.setProcessingTime(T0.plusSeconds(second).toEpochMilli());
  }

  private List<String> passed() {
    return harness.extractOutputValues().stream().map(s -> s.getVmId() + "@" + s.getIntervalEnd().getEpochSecond() % 3600).toList();
  }

  private List<DeadLetter> refused() {
    return harness.getSideOutput(DecodeRecords.DEAD_LETTERS) == null ? List.of()
        : harness.getSideOutput(DecodeRecords.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void aListedVmsRecordsPassAtOnce() throws Exception {
    process(sample("vm-a", "host-1", 1));
    assertThat(passed()).containsExactly("vm-a@1");
    assertThat(refused()).isEmpty();
  }

  @Test
  void aNewVmsRecordsWaitForItsListingAndKeepTheirOrder() throws Exception {
    process(sample("vm-new", "host-1", 1));
    process(sample("vm-new", "host-1", 2));
    assertThat(passed()).isEmpty();
    list(InventoryKeys.vm("vm-new"));
    process(sample("vm-new", "host-1", 3));
    assertThat(passed()).containsExactly("vm-new@1", "vm-new@2", "vm-new@3");
    assertThat(refused()).isEmpty();
  }

  @Test
  void recordsOfAVmOrHostNeverListedAreRefusedAfterTheGrace() throws Exception {
    process(sample("vm-ghost", "host-1", 1));
    process(sample("vm-a", "host-ghost", 1));
    advance(15);
    process(sample("vm-a", "host-1", 16));
    assertThat(refused()).isEmpty();
    // The VM's records from its listed host do not wait behind the one from a host not listed.
    assertThat(passed()).containsExactly("vm-a@16");
    // Refused on the timer, with nothing else coming.
    advance(30);

    assertThat(passed()).containsExactly("vm-a@16");
    assertThat(refused()).extracting(DeadLetter::getCause).containsOnly(DeadLetterCause.UNKNOWN_ENTITY);
    assertThat(refused()).extracting(DeadLetter::getReason).containsExactlyInAnyOrder(
        "The inventory lists no VM 'vm-ghost' (waited PT30S for it)",
        "The inventory lists no host 'host-ghost' (waited PT30S for it)");
    assertThat(refused()).extracting(DeadLetter::getOffset).containsExactlyInAnyOrder(0L, 1L);
  }

  @Test
  void aVmThatLeftIsRefusedForWhatFollowsItsLeaving() throws Exception {
    harness.processElement2(FleetMember.left(InventoryKeys.vm("vm-a"), T0.plusSeconds(5).toEpochMilli()), 0);
    process(sample("vm-a", "host-1", 5));
    process(sample("vm-a", "host-1", 6));
    advance(40);
    process(sample("vm-a", "host-1", 41));
    assertThat(passed()).containsExactly("vm-a@5");
    assertThat(refused()).hasSize(1).allSatisfy(d -> assertThat(d.getReason()).startsWith("The VM 'vm-a' left the inventory at"));
  }

  @Test
  void clocksThatJumpAreRefused() throws Exception {
    advance(10);
    process(sample("vm-a", "host-1", 86_400));
    process(sample("vm-a", "host-1", -86_400));
    process(sample("vm-a", "host-1", 11));
    assertThat(passed()).containsExactly("vm-a@11");
    assertThat(refused()).extracting(DeadLetter::getCause).containsExactly(DeadLetterCause.INVALID_VALUE, DeadLetterCause.LATE);
    assertThat(refused().get(0).getReason()).contains("ahead of this clock").contains("the writer's clock jumped");
  }

  @Test
  void aRecordAfterOneOfAnotherSchemaStillDecodes() throws Exception {
    RegistryAvroSerializer<DeadLetter> letters = new RegistryAvroSerializer<>();
    letters.configure(REGISTRY, false);
    DeadLetter otherSchema = DeadLetters.of("elsewhere", 0, 0, 0, null, null, "nowhere", DeadLetterCause.UNKNOWN, "none");
    process(new RawRecord(Topics.QUANTA.name(), 0, offset++, T0.plusSeconds(1).toEpochMilli(), null,
        letters.serialize(Topics.DEAD_LETTERS.name(), otherSchema)));
    process(sample("vm-a", "host-1", 2));
    assertThat(passed()).containsExactly("vm-a@2");
    assertThat(refused()).singleElement().satisfies(d -> assertThat(d.getCause()).isEqualTo(DeadLetterCause.UNDECODABLE_AVRO));
  }

  @Test
  void heldRecordsSurviveARestore() throws Exception {
    process(sample("vm-new", "host-1", 1));
    OperatorSubtaskState snapshot = harness.snapshot(1, 1);
    harness.close();
    harness = new TwoInputStreamOperatorTestHarness<>(decoder());
    harness.setup();
    harness.initializeState(snapshot);
    harness.open();
    harness.setProcessingTime(T0.toEpochMilli());
    list(InventoryKeys.vm("vm-new"));
    assertThat(passed()).containsExactly("vm-new@1");
  }
}
