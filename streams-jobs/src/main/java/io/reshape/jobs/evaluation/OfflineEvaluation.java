package io.reshape.jobs.evaluation;

import io.reshape.events.Actuation;
import io.reshape.events.Decision;
import io.reshape.events.HostInventory;
import io.reshape.events.InventoryRecord;
import io.reshape.events.QuantumSample;
import io.reshape.events.VmInventory;
import io.reshape.jobs.analytics.AnalyticsSettings;
import io.reshape.planner.CellBook;
import io.reshape.planner.MemoryCellStore;
import io.reshape.planner.Planner;
import io.reshape.planner.PlannerInput;
import io.reshape.planner.PlannerSettings;
import io.reshape.planner.sim.PlanetLabDay;
import io.reshape.planner.sim.PlanetLabFleet;
import io.reshape.planner.sim.Scoreboard;
import io.reshape.planner.sim.SimActions;
import io.reshape.planner.sim.SimDatacenter;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.Micros;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A PlanetLab day through the planner in this process, without Kafka: the simulated datacenter
 * reports as it does through the pipeline, the footprints and idleness jobs' logic turns its
 * quanta into the same records, the planner's {@link CellBook} plans on the same schedule and
 * waits for the same feedback, and the decisions are carried out by the same {@link SimActions}.
 * So it gives the pipeline's decisions, in seconds a day.
 */
public final class OfflineEvaluation {

  /** Told after each step. */
  public interface Progress {
    void step(int step, Scoreboard.Score soFar, long decisions);
  }

  /** A day's result: the score, and every decision in the order made. */
  public record Run(Scoreboard.Score score, List<Decision> decisions) {}

  private final AnalyticsSettings settings;

  /** The evaluation of {@code planner}, with the analytics as the pipeline evaluation runs them ({@link AnalyticsSettings#forPlanetLab}). */
  public OfflineEvaluation(PlannerSettings planner) {
    this.settings = AnalyticsSettings.forPlanetLab(planner);
  }

  /** Runs the first {@code steps} steps of {@code day} on {@code hosts} hosts, its event time starting at {@code start}. */
  public Run run(PlanetLabDay day, int hosts, Instant start, int steps, Progress progress) throws Exception {
    SimDatacenter dc = SimDatacenter.start(day, hosts);
    PlanetLabFleet fleet = new PlanetLabFleet(dc, start);
    SimActions actions = new SimActions(fleet);
    OfflineAnalytics analytics = new OfflineAnalytics(settings.footprints(), settings.idleness());
    CellBook book = new CellBook(new MemoryCellStore(), new Planner(settings.planner().planner()));
    Scoreboard board = new Scoreboard();
    List<Decision> decisions = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      List<QuantumSample> samples = new ArrayList<>();
      for (int vm = 0; vm < day.vmCount(); vm++) {
        samples.add(fleet.sample(vm, step));
      }
      long stepStart = Micros.of(fleet.stepStart(step));
      for (PlannerInput input : analytics.interval(samples, stepStart)) {
        offer(book, input);
      }
      for (InventoryRecord record : fleet.inventoryScan(step)) {
        offer(book, inventory(record));
      }
      for (Planner.Result result : book.runDue(stepStart + PlanetLabFleet.PLANNED_AT.toNanos() / 1000)) {
        for (Decision decision : result.decisions()) {
          decisions.add(decision);
          carryOut(book, actions, decision);
        }
      }
      dc.runStep(board);
      progress.step(step, board.score(), decisions.size());
    }
    return new Run(board.score(), decisions);
  }

  /** As the coordinator and the executors do with the sim driver: one command per host involved, each reporting. */
  private static void carryOut(CellBook book, SimActions actions, Decision d) throws Exception {
    List<String> hosts = d.getDestinationHostId() == null ? List.of(d.getHostId()) : List.of(d.getHostId(), d.getDestinationHostId());
    for (String host : hosts) {
      SimActions.Result result = actions.apply(d.getAction(), d.getVmId(), host, d.getDestinationHostId(), d.getParameters(),
          d.getCreatedAt());
      result.observed().ifPresent(record -> offer(book, inventory(record)));
      offer(book, PlannerInput.of(Actuation.newBuilder()
          .setDecisionId(d.getDecisionId()).setCommandId(d.getDecisionId() + "@" + host).setAction(d.getAction())
          .setVmId(d.getVmId()).setHostId(host).setOutcome(result.outcome()).setDecidedAt(d.getCreatedAt())
          .setStartedAt(d.getCreatedAt()).setFinishedAt(d.getCreatedAt()).setDriver(SimActions.DRIVER)
          .setDetail(result.detail()).build()));
    }
  }

  private static PlannerInput inventory(InventoryRecord record) {
    String key = record.getEntity() instanceof VmInventory vm
        ? InventoryKeys.vm(vm.getVmId()) : InventoryKeys.host(((HostInventory) record.getEntity()).getHostId());
    return PlannerInput.inventory(key, record, Micros.of(record.getObservedAt()));
  }

  private static void offer(CellBook book, PlannerInput input) {
    input.cellId = PlanetLabFleet.CELL;
    try {
      book.offer(input);
    } catch (Exception e) {
      throw new IllegalStateException("An in-memory cell store cannot fail", e);
    }
  }
}
