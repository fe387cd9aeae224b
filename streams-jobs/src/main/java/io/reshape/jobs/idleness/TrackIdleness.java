package io.reshape.jobs.idleness;

import io.reshape.events.IdlenessPrediction;
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
        .ifPresent(change -> out.collect(IdlenessReports.of(interval, change)));
    tracks.update(track);
  }


}
