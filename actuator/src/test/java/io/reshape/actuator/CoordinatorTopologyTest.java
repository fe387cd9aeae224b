package io.reshape.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reshape.actuator.coordinator.CoordinatorSettings;
import io.reshape.actuator.coordinator.CoordinatorTopology;
import io.reshape.actuator.coordinator.DecisionMeters;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.Benefit;
import io.reshape.events.Cost;
import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import io.reshape.events.Decision;
import io.reshape.events.HostCommand;
import io.reshape.events.InventoryRecord;
import io.reshape.events.Outcome;
import io.reshape.events.VmInventory;
import io.reshape.events.VmState;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.NewerSchemas;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.RegistryAvroEncoder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's topology in a {@link TopologyTestDriver}, with the registry serdes. */
@Timeout(120)
class CoordinatorTopologyTest {

  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir
  Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, InventoryRecord> inventory;
  private TestInputTopic<String, Decision> decisions;
  private TestOutputTopic<String, HostCommand> commands;
  private TestOutputTopic<String, Actuation> actuations;
  private TestOutputTopic<String, DeadLetter> deadLetters;
  private TopologyTestSupport topics;

  /** The coordinator's clock: it judges a decision's age by it. */
  private final SettableClock clock = new SettableClock(T);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void start() {
    start(TopologyTestSupport.config(CoordinatorTopology.APPLICATION_ID, stateDir, meters));
  }

  private void start(Properties config) {
    driver = new TopologyTestDriver(
        CoordinatorTopology.build(TopologyTestSupport.REGISTRY, CoordinatorSettings.defaults(), new DecisionMeters(meters), clock), config);
    topics = new TopologyTestSupport(driver);
    inventory = topics.input(Topics.INVENTORY);
    decisions = topics.input(Topics.DECISIONS);
    commands = topics.output(Topics.COMMANDS);
    actuations = topics.output(Topics.ACTUATIONS);
    deadLetters = topics.output(Topics.DEAD_LETTERS);
    inventory.pipeInput(InventoryKeys.vm("vm-1"), new InventoryRecord(T, VmInventory.newBuilder().setVmId("vm-1")
        .setHostId("host-1").setVcpus(2).setMemoryBytes(1L << 31).setState(VmState.RUNNING).setPinned(false).build()), T);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private static Decision decision(Action action, String vm, Instant at) {
    return Decision.newBuilder()
        .setDecisionId(action + "@" + vm + "@" + at).setCreatedAt(at).setAction(action).setVmId(vm).setHostId("host-1")
        .setReason("test").setExpectedBenefit(new Benefit(1L << 31, 0, 0.0, 0L)).setExpectedCost(new Cost(1L << 31, 0L, 0L))
        .setDeadline(at.plus(Duration.ofMinutes(5))).build();
  }

  private void decide(Decision decision) {
    decisions.pipeInput(decision.getVmId(), decision, decision.getCreatedAt());
  }

  @Test
  void anAcceptedDecisionBecomesOneCommandForItsHost() {
    Decision pageOut = decision(Action.PAGE_OUT, "vm-1", T.plusSeconds(30));
    decide(pageOut);
    var command = commands.readKeyValue();
    assertThat(command.key).isEqualTo("host-1");
    assertThat(command.value.getCommandId()).isEqualTo(pageOut.getDecisionId() + "@host-1");
    assertThat(command.value.getAction()).isEqualTo(Action.PAGE_OUT);
    assertThat(command.value.getVmId()).isEqualTo("vm-1");
    assertThat(commands.isEmpty()).isTrue();
    assertThat(actuations.isEmpty()).isTrue();
  }

  @Test
  void aDecisionSeenAgainIsNotActedOnAgain() {
    Decision pageOut = decision(Action.PAGE_OUT, "vm-1", T.plusSeconds(30));
    decide(pageOut);
    decide(pageOut);
    assertThat(commands.readValuesToList()).hasSize(1);
    assertThat(actuations.isEmpty()).isTrue();
  }

  @Test
  void aDecisionForAVmTheInventoryDoesNotKnowIsRefusedWithTheReason() {
    decide(decision(Action.PAGE_OUT, "vm-404", T.plusSeconds(30)));
    Actuation refused = actuations.readValue();
    assertThat(refused.getOutcome()).isEqualTo(Outcome.REJECTED);
    assertThat(refused.getDriver()).isEqualTo("coordinator");
    assertThat(refused.getDetail()).contains("vm-404 is not in the inventory");
    assertThat(refused.getFinishedAt()).isEqualTo(T);
    assertThat(commands.isEmpty()).isTrue();
  }

  @Test
  void aDecisionIsJudgedAgainstThePlacementAtItsOwnTimeWhicheverWasReadFirst() {
    // The VM moves at 12:00:40 and the coordinator reads that before a decision made at 12:00:30.
    inventory.pipeInput(InventoryKeys.vm("vm-1"), new InventoryRecord(T.plusSeconds(40), VmInventory.newBuilder().setVmId("vm-1")
        .setHostId("host-2").setVcpus(2).setMemoryBytes(1L << 31).setState(VmState.RUNNING).setPinned(false).build()),
        T.plusSeconds(40));
    decide(decision(Action.PAGE_OUT, "vm-1", T.plusSeconds(30)));
    assertThat(commands.readKeyValue().key).as("at 12:00:30 the VM was on host-1").isEqualTo("host-1");

    decide(decision(Action.SWAP_IN, "vm-1", T.plusSeconds(50)));
    assertThat(actuations.readValue().getDetail()).as("at 12:00:50 it was on host-2")
        .contains("vm-1 runs on host-2, not on host-1");
  }

  @Test
  void aVmGoneFromTheInventoryIsNoLongerActedOn() {
    inventory.pipeInput(InventoryKeys.vm("vm-1"), null, T.plusSeconds(1));
    decide(decision(Action.PAGE_OUT, "vm-1", T.plusSeconds(30)));
    assertThat(actuations.readValue().getDetail()).contains("not in the inventory");
  }

  @Test
  void theCooldownHoldsBackASecondActionButNotAWakeUp() {
    decide(decision(Action.PAGE_OUT, "vm-1", T.plusSeconds(30)));
    decide(decision(Action.SWAP_IN, "vm-1", T.plusSeconds(40)));
    decide(decision(Action.PAGE_OUT, "vm-1", T.plusSeconds(90)));
    assertThat(commands.readValuesToList()).extracting(HostCommand::getAction).containsExactly(Action.PAGE_OUT, Action.SWAP_IN);
    assertThat(actuations.readValue().getDetail()).contains("cool-down");
  }

  @Test
  void eachDecisionIsCountedByActionAndVerdict() {
    Decision pageOut = decision(Action.PAGE_OUT, "vm-1", T.plusSeconds(30));
    decide(pageOut);
    decide(pageOut);
    decide(decision(Action.PAGE_OUT, "vm-1", T.plusSeconds(90)));
    decide(decision(Action.SWAP_IN, "vm-404", T.plusSeconds(100)));

    assertThat(decisions(Action.PAGE_OUT, "accepted")).isEqualTo(1);
    assertThat(decisions(Action.PAGE_OUT, "duplicate")).isEqualTo(1);
    assertThat(decisions(Action.PAGE_OUT, "rejected")).as("held back by the cool-down").isEqualTo(1);
    assertThat(decisions(Action.SWAP_IN, "rejected")).as("a VM not in the inventory").isEqualTo(1);
    assertThat(meters.find("reshape.coordinator.decisions").counters()).hasSize(4);
  }

  private double decisions(Action action, String verdict) {
    return meters.get("reshape.coordinator.decisions").tag("action", action.name()).tag("verdict", verdict).counter().count();
  }

  @Test
  void bytesThatAreNoDecisionGoToTheDeadLetterTopicAndTheNextDecisionStillCounts() throws Exception {
    // The test driver's simulated transactions drop the records a deserialization handler sends,
    // so this one runs at-least-once; PipelineIT shows the same dead letter under exactly-once.
    driver.close();
    Properties atLeastOnce = TopologyTestSupport.config(CoordinatorTopology.APPLICATION_ID, stateDir.resolve("alo"), meters);
    atLeastOnce.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    start(atLeastOnce);
    topics.rawInput(Topics.DECISIONS).pipeInput("vm-1", "not avro at all".getBytes(), T);
    decide(decision(Action.PAGE_OUT, "vm-1", T.plusSeconds(30)));

    DeadLetter letter = deadLetters.readValue();
    assertThat(letter.getSourceTopic()).isEqualTo("decisions");
    assertThat(letter.getCause()).isEqualTo(DeadLetterCause.MALFORMED_FRAME);
    assertThat(letter.getStage()).startsWith(CoordinatorTopology.APPLICATION_ID);
    assertThat(letter.getReason()).contains("Magic byte");
    assertThat(new String(letter.getRawValue().array())).isEqualTo("not avro at all");
    assertThat(commands.readValuesToList()).hasSize(1);
    assertThat(meters.get("reshape.dead.letters").tag("topic", "decisions").tag("cause", "MALFORMED_FRAME").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void aDecisionReadAgainAfterTheCoordinatorForgotItIsRefusedNotActedOn() {
    Decision pageOut = Decision.newBuilder(decision(Action.PAGE_OUT, "vm-1", T.plusSeconds(30)))
        .setDeadline(T.plus(Duration.ofDays(30))).build();
    decide(pageOut);
    assertThat(commands.readValuesToList()).hasSize(1);

    // A week and a day on, by the wall clock the coordinator has forgotten the id; the topic is read from offset 0.
    clock.advance(Topics.DECISION_MEMORY.plusDays(1));
    driver.advanceWallClockTime(Duration.ofMinutes(1));
    decide(pageOut);

    assertThat(commands.isEmpty()).isTrue();
    assertThat(actuations.readValue()).satisfies(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.EXPIRED);
      assertThat(a.getDecisionId()).isEqualTo(pageOut.getDecisionId());
      assertThat(a.getDetail()).contains("longer ago than the 7 days the coordinator remembers decisions");
    });
  }

  @Test
  void aDecisionWithAnActionANewerSchemaAddedIsRejectedWithTheReason() {
    Schema newer = NewerSchemas.withEnumSymbol(Decision.getClassSchema(), "Action", "HIBERNATE");
    GenericRecord hibernate = NewerSchemas.withSymbol(decision(Action.PAGE_OUT, "vm-1", T.plusSeconds(30)), newer, "action", "HIBERNATE");
    byte[] written = new RegistryAvroEncoder(TopologyTestSupport.registry()).encode(Topics.DECISIONS.valueSubject(), hibernate);
    topics.rawInput(Topics.DECISIONS).pipeInput("vm-1", written, T.plusSeconds(30));

    assertThat(commands.isEmpty()).isTrue();
    assertThat(actuations.readValue()).satisfies(a -> {
      assertThat(a.getOutcome()).isEqualTo(Outcome.REJECTED);
      assertThat(a.getAction()).isEqualTo(Action.UNKNOWN);
      assertThat(a.getDetail()).contains("An action this coordinator does not know");
    });
    TopologyTestSupport.forgetSchemas();
  }
}
