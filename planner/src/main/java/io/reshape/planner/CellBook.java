package io.reshape.planner;

import io.reshape.events.Decision;
import io.reshape.events.GenerationRequest;
import io.reshape.schemas.Micros;
import io.reshape.schemas.Outcomes;
import java.util.ArrayList;
import java.util.List;

/**
 * One cell's planning, over time: inputs are kept until the cycle their event time belongs to and
 * applied then, in a fixed order; cycles fall every {@link PlannerSettings#cycle()} of event time.
 *
 * <p>A cycle waits for the feedback of the one before: the outcome of each decision it made and
 * the answer to each question it asked the page-generations job, or their deadlines. Outcomes
 * carry the event time of their decision, which the watermark has passed by the time they come
 * back; waiting for them, rather than taking whatever has arrived, is what makes a cycle see the
 * same cell in a replay as in the live run, and the offline evaluator the same as the pipeline.
 */
public final class CellBook {

  private final CellStore store;
  private final Planner planner;
  private final long cycleMicros;
  private final long offsetMicros;

  public CellBook(CellStore store, Planner planner) {
    this.store = store;
    this.planner = planner;
    this.cycleMicros = planner.settings().cycle().toNanos() / 1000;
    this.offsetMicros = planner.settings().cycleOffset().toNanos() / 1000;
  }

  /**
   * Takes an input in: kept for its cycle, and crossed off what the last cycle waits for if it is
   * that. A report on the way to an outcome (a command started, its progress) is not an outcome:
   * it is let go.
   */
  public void offer(PlannerInput input) throws Exception {
    if (input.kind == PlannerInput.Kind.ACTUATION && !Outcomes.settled(input.actuation.getOutcome())) {
      return;
    }
    CellRecord cell = cell(input.cellId);
    if (cell.lastCycleMicros == 0) {
      // Before the first cycle, the earliest input sets it, whatever order inputs arrive in.
      long after = (Math.floorDiv(input.eventMicros - offsetMicros, cycleMicros) + 1) * cycleMicros + offsetMicros;
      cell.nextCycleMicros = cell.nextCycleMicros == 0 ? after : Math.min(cell.nextCycleMicros, after);
    }
    cell.received(awaitedKey(input), input.eventMicros);
    store.putCell(cell);
    store.buffer(input);
  }

  /**
   * When event time must reach for the cell to move on, microseconds; 0 before the first input. It
   * is the next cycle's time; once that has passed while the cycle waits for feedback, the end of
   * the wait, so a timer set there cannot fire again and again at one watermark: the feedback's
   * arrival runs the cycle, or the wait's end does.
   */
  public long wakeUpMicros(long watermarkMicros) throws Exception {
    CellRecord cell = store.cell();
    if (cell == null) {
      return 0;
    }
    boolean held = cell.nextCycleMicros <= watermarkMicros && cell.waiting(watermarkMicros);
    return held ? cell.waitEndsMicros() : cell.nextCycleMicros;
  }

  /**
   * Runs, in order, every cycle due by {@code watermarkMicros} that its feedback lets through: a
   * cycle runs once nothing is awaited any more, or event time has gone past the deadline of what is.
   */
  public List<Planner.Result> runDue(long watermarkMicros) throws Exception {
    List<Planner.Result> results = new ArrayList<>();
    CellRecord cell = store.cell();
    while (cell != null && cell.nextCycleMicros > 0 && cell.nextCycleMicros <= watermarkMicros && !cell.waiting(watermarkMicros)) {
      results.add(runCycle(cell));
      cell = store.cell();
    }
    return results;
  }

  private Planner.Result runCycle(CellRecord cell) throws Exception {
    long at = cell.nextCycleMicros;
    apply(cell, at);
    List<VmRecord> vms = new ArrayList<>();
    store.vms().forEach(vms::add);
    List<HostRecord> hosts = new ArrayList<>();
    store.hosts().forEach(h -> {
      if (h.cores > 0) {
        hosts.add(h);
      }
    });
    List<PairRecord> pairs = new ArrayList<>();
    store.pairs().forEach(pairs::add);
    Planner.Result result = planner.plan(new Cell(cell.cellId, hosts, vms, pairs, cell), Micros.instant(at));
    for (VmRecord vm : result.changedVms()) {
      store.putVm(vm);
    }
    for (HostRecord host : result.changedHosts()) {
      store.putHost(host);
    }
    awaitFeedback(cell, result, at);
    cell.nextCycleMicros = at + cycleMicros;
    store.putCell(cell);
    return result;
  }

  /**
   * Applies, in their fixed order, the kept inputs up to {@code atMicros}; keeps the rest. Feedback
   * carries the event time of the cycle it answers, and is applied only after that cycle: a restored
   * job may read it before it has made again what it answers.
   */
  private void apply(CellRecord cell, long atMicros) throws Exception {
    List<PlannerInput> due = new ArrayList<>();
    List<PlannerInput> later = new ArrayList<>();
    for (PlannerInput input : store.buffered()) {
      boolean feedback = awaitedKey(input) != null;
      (input.eventMicros < atMicros || input.eventMicros == atMicros && !feedback ? due : later).add(input);
    }
    store.rebuffer(later);
    due.sort(PlannerInput.ORDER);
    for (PlannerInput input : due) {
      CellInputs.apply(store, cell, input);
    }
  }

  /** Waits for the outcome of each decision and the answer to each question of the cycle at {@code atMicros}. */
  private void awaitFeedback(CellRecord cell, Planner.Result result, long atMicros) {
    for (Decision d : result.decisions()) {
      cell.await(d.getDecisionId(), atMicros, Micros.of(d.getDeadline()));
    }
    long answerDeadline = atMicros + planner.settings().decisionLifetime().toNanos() / 1000;
    for (GenerationRequest r : result.requests()) {
      cell.await(requestKey(r.getVmId(), r.getCandidateHostId(), Micros.of(r.getRequestedAt())), atMicros, answerDeadline);
    }
    cell.forgetEarlyUpTo(atMicros);
  }

  private static String awaitedKey(PlannerInput input) {
    return switch (input.kind) {
      case ACTUATION -> input.actuation.getDecisionId();
      case REUSE -> requestKey(input.reuse.getVmId(), input.reuse.getCandidateHostId(), Micros.of(input.reuse.getComputedAt()));
      default -> null;
    };
  }

  private static String requestKey(String vmId, String hostId, long atMicros) {
    return vmId + "@" + hostId + "@" + atMicros;
  }

  private CellRecord cell(String cellId) throws Exception {
    CellRecord cell = store.cell();
    return cell != null ? cell : new CellRecord(cellId);
  }
}
