package io.reshape.jobs.evaluation;

import io.reshape.events.QuantumSample;
import io.reshape.jobs.footprints.FootprintAccumulator;
import io.reshape.jobs.footprints.FootprintSettings;
import io.reshape.jobs.footprints.FootprintState;
import io.reshape.jobs.footprints.HalfLife;
import io.reshape.jobs.footprints.VmSignal;
import io.reshape.jobs.idleness.IdleStateMachine;
import io.reshape.jobs.idleness.IdleTrack;
import io.reshape.jobs.idleness.IdlenessReports;
import io.reshape.jobs.idleness.IdlenessSettings;
import io.reshape.jobs.idleness.IdlenessTracker;
import io.reshape.jobs.idleness.VmInterval;
import io.reshape.planner.PlannerInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The footprints and idleness jobs' own logic, run in this process on a simulated fleet's quanta:
 * the footprints and idleness records the planner gets are the ones the Flink jobs publish for the
 * same samples, at the same event times. A VM's footprint is published at the end of each of its
 * intervals from then on (the emission interval divides the fleet's step), with the signals that
 * ended by then; a change of idleness at the end of the interval that completes it.
 */
public final class OfflineAnalytics {

  private final FootprintAccumulator footprints;
  private final FootprintSettings footprintSettings;
  private final IdlenessTracker idleness;
  private final IdlenessSettings idlenessSettings;
  private final Map<String, FootprintState> states = new HashMap<>();
  private final Map<String, IdleTrack> tracks = new HashMap<>();

  public OfflineAnalytics(FootprintSettings footprintSettings, IdlenessSettings idlenessSettings) {
    this.footprintSettings = footprintSettings;
    this.idlenessSettings = idlenessSettings;
    this.footprints = new FootprintAccumulator(new HalfLife(footprintSettings.halfLife()), footprintSettings.maxPeers());
    this.idleness = new IdlenessTracker(new IdleStateMachine(idlenessSettings.enterIdleAfter(), idlenessSettings.leaveIdleAfter()));
  }

  /**
   * Takes in one interval's samples, one per VM, all starting when the previous ones ended; returns
   * what the jobs publish for them: each VM's footprint at the interval's start (of the intervals
   * before), and the idleness changes the interval completes, at its end. The planner applies each
   * at its own event time.
   */
  public List<PlannerInput> interval(List<QuantumSample> samples, long startMicros) {
    List<PlannerInput> published = new ArrayList<>();
    for (QuantumSample sample : samples) {
      String vm = sample.getVmId();
      FootprintState state = states.get(vm);
      if (state != null) {
        published.add(PlannerInput.of(footprints.footprint(vm, state, startMicros, footprintSettings.topPeers())));
      } else {
        state = new FootprintState();
        states.put(vm, state);
      }
      footprints.add(state, VmSignal.cpu(sample));
      VmInterval interval = VmInterval.of(sample);
      IdleTrack track = tracks.computeIfAbsent(vm, v -> new IdleTrack());
      idleness.step(track, idlenessSettings.idleLike(interval), interval.startMicros, interval.endMicros)
          .ifPresent(change -> published.add(PlannerInput.of(IdlenessReports.of(interval, change))));
    }
    return published;
  }
}
