package io.reshape.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.Decision;
import io.reshape.events.Footprint;
import io.reshape.events.HostInventory;
import io.reshape.events.HostRole;
import io.reshape.events.InventoryRecord;
import io.reshape.events.Outcome;
import io.reshape.events.VmInventory;
import io.reshape.events.VmState;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.Micros;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A cell over time: inputs kept for their cycle, applied in a fixed order, cycles waiting for feedback. */
class CellBookTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private final PlannerSettings settings = PlannerSettings.defaults();

  private static PlannerInput host(String id, Instant at) {
    HostInventory h = HostInventory.newBuilder().setHostId(id).setRole(HostRole.BARE_METAL).setCores(4).setCoreMips(1000)
        .setMemoryBytes(16L << 30).setSwapBytes(0).setKsmEnabled(false).setPricePerHour(0).build();
    return cell(PlannerInput.inventory(InventoryKeys.host(id), new InventoryRecord(at, h), Micros.of(at)));
  }

  private static PlannerInput vm(String id, String host, Instant at) {
    VmInventory v = VmInventory.newBuilder().setVmId(id).setHostId(host).setVcpus(4).setMemoryBytes(2L << 30)
        .setState(VmState.RUNNING).build();
    return cell(PlannerInput.inventory(InventoryKeys.vm(id), new InventoryRecord(at, v), Micros.of(at)));
  }

  private static PlannerInput footprint(String vm, String host, double cores, Instant at) {
    return cell(PlannerInput.of(Footprint.newBuilder().setVmId(vm).setHostId(host).setComputedAt(at).setHalfLifeSeconds(300)
        .setCpuDemandCores(cores).setWrittenSetPages(0).setDirtyPagesPerSecond(0).setExternalBytesPerSecond(0)
        .setPeers(List.of()).build()));
  }

  private static PlannerInput outcome(Decision d, String host, Outcome outcome) {
    return cell(PlannerInput.of(Actuation.newBuilder().setDecisionId(d.getDecisionId()).setAction(d.getAction())
        .setVmId(d.getVmId()).setHostId(host).setOutcome(outcome).setDecidedAt(d.getCreatedAt()).setFinishedAt(d.getCreatedAt())
        .setDriver("test").setDetail("test").build()));
  }

  private static PlannerInput cell(PlannerInput input) {
    input.cellId = "cell";
    return input;
  }

  /** Two hosts; the little VM's host can be emptied into the other at the first cycle after 12:00:10. */
  private static List<PlannerInput> consolidatable() {
    Instant at = T0.plusSeconds(10);
    return List.of(host("h1", at), host("h2", at), vm("little", "h1", at), vm("big", "h2", at),
        footprint("little", "h1", 0.3, at.plusSeconds(5)), footprint("big", "h2", 2.0, at.plusSeconds(5)));
  }

  private static long micros(Instant at) {
    return Micros.of(at);
  }

  @Test
  void inputsInAnyOrderGiveTheSameCycles() throws Exception {
    List<Decision> first = null;
    Random random = new Random(7);
    for (int run = 0; run < 5; run++) {
      List<PlannerInput> inputs = new ArrayList<>(consolidatable());
      Collections.shuffle(inputs, random);
      CellBook book = new CellBook(new MemoryCellStore(), new Planner(settings));
      for (PlannerInput input : inputs) {
        book.offer(input);
      }
      assertThat(book.wakeUpMicros(Long.MIN_VALUE)).isEqualTo(micros(T0.plusSeconds(30)));
      List<Decision> decisions = book.runDue(micros(T0.plusSeconds(30))).get(0).decisions();
      assertThat(decisions).isNotEmpty();
      if (first == null) {
        first = decisions;
      }
      assertThat(decisions).isEqualTo(first);
    }
  }

  @Test
  void anInputBeyondTheCycleWaitsForItsOwn() throws Exception {
    CellBook book = new CellBook(new MemoryCellStore(), new Planner(settings));
    for (PlannerInput input : consolidatable()) {
      book.offer(input);
    }
    // The little VM's demand jumps, but only at 12:00:40: the cycle at 12:00:30 still empties its host.
    book.offer(footprint("little", "h1", 3.5, T0.plusSeconds(40)));
    Planner.Result cycle = book.runDue(micros(T0.plusSeconds(35))).get(0);
    assertThat(cycle.plan().getPlannedAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(cycle.decisions()).extracting(Decision::getVmId).containsExactly("little");
  }

  @Test
  void aCycleWaitsForTheOutcomesOfTheLastOnesDecisionsOrTheirDeadline() throws Exception {
    CellBook book = new CellBook(new MemoryCellStore(), new Planner(settings));
    for (PlannerInput input : consolidatable()) {
      book.offer(input);
    }
    Decision move = book.runDue(micros(T0.plusSeconds(30))).get(0).decisions().get(0);
    assertThat(book.runDue(micros(T0.plusSeconds(61)))).as("the migration's outcome has not come back").isEmpty();
    assertThat(book.wakeUpMicros(micros(T0.plusSeconds(61)))).as("held: woken by the outcome, or at the end of the wait")
        .isEqualTo(micros(move.getDeadline()) + 1);

    book.offer(outcome(move, "h1", Outcome.STARTED));
    book.offer(outcome(move, "h1", Outcome.IN_PROGRESS));
    assertThat(book.runDue(micros(T0.plusSeconds(61)))).as("started and under way is not an outcome").isEmpty();

    book.offer(outcome(move, "h1", Outcome.APPLIED));
    assertThat(book.wakeUpMicros(micros(T0.plusSeconds(61)))).isEqualTo(micros(T0.plusSeconds(60)));
    List<Planner.Result> next = book.runDue(micros(T0.plusSeconds(61)));
    assertThat(next).extracting(r -> r.plan().getPlannedAt()).containsExactly(T0.plusSeconds(60));
    assertThat(next.get(0).decisions()).as("the VM is where it went, and cooling down").isEmpty();

    // A later decision whose outcome never comes: event time past its deadline lets the cycles go on.
    book.offer(host("h3", T0.plusSeconds(70)));
    CellRecord cell = new CellRecord("cell");
    cell.await("lost", micros(T0.plusSeconds(90)), micros(T0.plusSeconds(100)));
    assertThat(cell.waiting(micros(T0.plusSeconds(100)))).isTrue();
    assertThat(cell.waiting(micros(T0.plusSeconds(101)))).isFalse();
  }

  @Test
  void anOutcomeReadBeforeItsDecisionIsMadeAgainStillCounts() throws Exception {
    CellBook live = new CellBook(new MemoryCellStore(), new Planner(settings));
    consolidatable().forEach(input -> offer(live, input));
    Decision move = live.runDue(micros(T0.plusSeconds(30))).get(0).decisions().get(0);

    // Restored from a checkpoint taken before the cycle at 12:00:30, a job re-reads the outcome the
    // live one got, before it has planned that cycle again; and an outcome of a decision it will not make.
    MemoryCellStore store = new MemoryCellStore();
    CellBook restored = new CellBook(store, new Planner(settings));
    consolidatable().forEach(input -> offer(restored, input));
    restored.offer(outcome(move, "h1", Outcome.APPLIED));
    Decision other = Decision.newBuilder(move).setDecisionId("never-made").build();
    restored.offer(outcome(other, "h1", Outcome.APPLIED));
    assertThat(store.cell().early).containsExactlyInAnyOrder(move.getDecisionId(), "never-made");

    assertThat(restored.runDue(micros(T0.plusSeconds(30))).get(0).decisions()).containsExactly(move);
    assertThat(store.cell().awaited).as("the outcome read early counts for the decision made again").isEmpty();
    assertThat(store.cell().early).as("early outcomes of a cycle that has run are forgotten").isEmpty();
    assertThat(restored.runDue(micros(T0.plusSeconds(60)))).extracting(r -> r.plan().getPlannedAt())
        .containsExactly(T0.plusSeconds(60));
  }

  private static void offer(CellBook book, PlannerInput input) {
    try {
      book.offer(input);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anAppliedMigrationPutsTheVmOnItsDestinationBeforeTheInventorySaysSo() throws Exception {
    MemoryCellStore store = new MemoryCellStore();
    CellBook book = new CellBook(store, new Planner(settings));
    for (PlannerInput input : consolidatable()) {
      book.offer(input);
    }
    Decision move = book.runDue(micros(T0.plusSeconds(30))).get(0).decisions().get(0);
    assertThat(move.getAction()).isEqualTo(Action.MIGRATE);
    book.offer(outcome(move, "h1", Outcome.APPLIED));
    book.offer(outcome(move, "h2", Outcome.APPLIED));
    book.runDue(micros(T0.plusSeconds(60)));
    VmRecord little = store.vm("little");
    assertThat(little.hostId).isEqualTo("h2");
    assertThat(little.previousHostId).isEqualTo("h1");
    assertThat(little.hasPending()).isFalse();
    assertThat(store.cell().awaited).isEmpty();
    assertThat(Duration.ofNanos((little.lastActedMicros - micros(T0)) * 1000)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void inputsAreRoutedToTheCellTheirHostIsLabelledWith() {
    HostInventory labelled = HostInventory.newBuilder().setHostId("h9").setRole(HostRole.BARE_METAL).setCores(4)
        .setCoreMips(1000).setMemoryBytes(1).setSwapBytes(0).setKsmEnabled(false).setPricePerHour(0)
        .setLabels(Map.of(CellInputs.CELL_LABEL, "rack-9")).build();
    PlannerInput hostInput = PlannerInput.inventory(InventoryKeys.host("h9"), new InventoryRecord(T0, labelled), micros(T0));
    assertThat(CellRouter.cellOf(hostInput, h -> null, v -> null)).isEqualTo("rack-9");
    PlannerInput fp = footprint("vm-9", "h9", 1, T0);
    assertThat(CellRouter.cellOf(fp, h -> h.equals("h9") ? "rack-9" : null, v -> null)).isEqualTo("rack-9");
    assertThat(CellRouter.cellOf(fp, h -> null, v -> null)).isEqualTo(CellInputs.DEFAULT_CELL);
  }

  @Test
  void anOscillatingLoadDoesNotMakeVmsPingPong() throws Exception {
    CellBook book = new CellBook(new MemoryCellStore(), new Planner(settings));
    Instant at = T0.plusSeconds(10);
    for (PlannerInput input : List.of(host("h1", at), host("h2", at), host("h3", at), vm("steady", "h1", at),
        vm("osc", "h1", at), vm("other", "h2", at), vm("third", "h3", at))) {
      book.offer(input);
    }
    List<Decision> moves = new ArrayList<>();
    for (int cycle = 1; cycle <= 40; cycle++) {
      Instant now = T0.plusSeconds(30L * cycle);
      // osc swings between a fifth of a core and 2.4 cores every cycle; wherever it is, its host swings with it.
      double osc = cycle % 2 == 0 ? 0.2 : 2.4;
      for (String[] vm : new String[][] {{"steady", "2.0"}, {"osc", Double.toString(osc)}, {"other", "1.0"}, {"third", "2.5"}}) {
        book.offer(footprint(vm[0], "h1", Double.parseDouble(vm[1]), now.minusSeconds(1)));
      }
      for (Planner.Result result : book.runDue(micros(now))) {
        for (Decision d : result.decisions()) {
          moves.add(d);
          book.offer(outcome(d, d.getHostId(), Outcome.APPLIED));
        }
      }
    }
    List<Decision> migrations = moves.stream().filter(d -> d.getAction() == Action.MIGRATE).toList();
    assertThat(migrations).as("20 minutes of a swinging load").hasSizeLessThanOrEqualTo(4);
    for (int i = 0; i < migrations.size(); i++) {
      for (int j = i + 1; j < migrations.size(); j++) {
        if (migrations.get(i).getVmId().equals(migrations.get(j).getVmId())) {
          assertThat(Duration.between(migrations.get(i).getCreatedAt(), migrations.get(j).getCreatedAt()))
              .as("a VM moved twice").isGreaterThanOrEqualTo(settings.cooldown());
        }
      }
    }
  }
}
