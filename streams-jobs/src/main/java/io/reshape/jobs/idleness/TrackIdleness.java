package io.reshape.jobs.idleness;

import io.reshape.events.IdlenessPrediction;
import io.reshape.jobs.idleness.IdlenessTracker.Change;
import io.reshape.schemas.Micros;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs each VM's intervals through the {@link IdlenessTracker} and publishes every change of
 * state; a change to IDLE carries how long the VM is expected to stay idle. Keyed by VM id.
 */
public class TrackIdleness extends KeyedProcessFunction<String, VmInterval, IdlenessPrediction> {

  private static final long serialVersionUID = 1L;

  private final IdlenessSettings settings;
  private transient IdlenessTracker tracker;
  private transient ValueState<IdleTrack> tracks;

  public TrackIdleness(IdlenessSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    tracker = new IdlenessTracker(new IdleStateMachine(settings.enterIdleAfter(), settings.leaveIdleAfter()));
    tracks = getRuntimeContext().getState(new ValueStateDescriptor<>("idle-track", TypeInformation.of(IdleTrack.class)));
  }

  @Override
  public void processElement(VmInterval interval, Context ctx, Collector<IdlenessPrediction> out) throws Exception {
    IdleTrack track = tracks.value() == null ? new IdleTrack() : tracks.value();
    tracker.step(track, settings.idleLike(interval), interval.startMicros, interval.endMicros)
        .ifPresent(change -> out.collect(report(interval, change)));
    tracks.update(track);
  }

  private static IdlenessPrediction report(VmInterval interval, Change change) {
    Instant observedAt = Micros.instant(interval.endMicros);
    IdlenessPrediction.Builder report = IdlenessPrediction.newBuilder()
        .setVmId(interval.vmId)
        .setHostId(interval.hostId)
        .setObservedAt(observedAt)
        .setState(change.state())
        .setStateSince(Micros.instant(change.sinceMicros()))
        .setUtilisation(interval.utilisation())
        .setHaltShare(interval.haltShare())
        .setEarlyYieldShare(interval.earlyYieldShare());
    change.prediction().ifPresent(p -> report
        .setPredictedIdleMillis(p.remainingMillis())
        .setPredictedWakeAt(observedAt.plusMillis(p.remainingMillis()))
        .setConfidence(p.confidence()));
    return report.build();
  }

}
