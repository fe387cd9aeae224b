package io.reshape.jobs.idleness;

import io.reshape.events.IdlenessPrediction;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs each VM's intervals through the {@link IdleStateMachine} and publishes every change of
 * state. Keyed by VM id.
 */
public class TrackIdleness extends KeyedProcessFunction<String, VmInterval, IdlenessPrediction> {

  private static final long serialVersionUID = 1L;

  private final IdlenessSettings settings;
  private transient IdleStateMachine machine;
  private transient ValueState<IdleTrack> tracks;

  public TrackIdleness(IdlenessSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    machine = new IdleStateMachine(settings.enterIdleAfter(), settings.leaveIdleAfter());
    tracks = getRuntimeContext().getState(new ValueStateDescriptor<>("idle-track", TypeInformation.of(IdleTrack.class)));
  }

  @Override
  public void processElement(VmInterval interval, Context ctx, Collector<IdlenessPrediction> out) throws Exception {
    IdleTrack track = tracks.value() == null ? new IdleTrack() : tracks.value();
    machine.step(track, settings.idleLike(interval), interval.startMicros, interval.endMicros).ifPresent(transition ->
        out.collect(IdlenessPrediction.newBuilder()
            .setVmId(interval.vmId)
            .setHostId(interval.hostId)
            .setObservedAt(instant(interval.endMicros))
            .setState(transition.state())
            .setStateSince(instant(transition.sinceMicros()))
            .setUtilisation(interval.utilisation())
            .setHaltShare(interval.haltShare())
            .setEarlyYieldShare(interval.earlyYieldShare())
            .build()));
    tracks.update(track);
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
