package io.reshape.jobs.footprints;

import io.reshape.events.Affinity;
import io.reshape.events.Footprint;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps each VM's footprint from its signals and publishes it at every multiple of the emission
 * interval, in event time, with the {@link Affinities} it speaks for on {@link #AFFINITIES}. Keyed by
 * VM id; the broadcast input is the inventory.
 *
 * <p>A footprint published at time t holds exactly the signals that ended by t: a signal ending
 * after the pending emission waits in a buffer until that emission is out, so the numbers do not
 * depend on the order the partitions are read in (short of a VM meeting more new peers between two
 * emissions than {@link FootprintAccumulator} takes in). The watermark says when t is complete.
 *
 * <p>A VM that leaves the inventory is forgotten at once: its state goes, its affinities are
 * withdrawn, and it leaves the peers of every other VM (withdrawing their affinities with it); a
 * departure visits every VM the subtask holds, which is cheap next to how rarely VMs leave. A VM
 * silent for long is forgotten at an emission: its state goes and its affinities are withdrawn,
 * while the other VMs' averages of it fade on their own.
 */
public class TrackFootprints extends KeyedBroadcastProcessFunction<String, VmSignal, VmAddresses, Footprint> {

  private static final long serialVersionUID = 1L;

  public static final OutputTag<Affinity> AFFINITIES = new OutputTag<>("affinities") {};

  private final FootprintSettings settings;
  private transient FootprintAccumulator accumulator;
  private transient Affinities affinities;
  private transient ValueStateDescriptor<FootprintState> footprintsDescriptor;
  private transient ValueState<FootprintState> footprints;
  /** Signals that end after the pending emission, held back until it is out. */
  private transient ListState<VmSignal> early;

  public TrackFootprints(FootprintSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    accumulator = new FootprintAccumulator(new HalfLife(settings.halfLife()), settings.maxPeers());
    affinities = new Affinities(accumulator, settings.affinityBytesPerSecond());
    footprintsDescriptor = new ValueStateDescriptor<>("footprint", TypeInformation.of(FootprintState.class));
    footprints = getRuntimeContext().getState(footprintsDescriptor);
    early = getRuntimeContext().getListState(new ListStateDescriptor<>("early-signals", TypeInformation.of(VmSignal.class)));
  }

  @Override
  public void processElement(VmSignal signal, ReadOnlyContext ctx, Collector<Footprint> out) throws Exception {
    FootprintState state = footprints.value();
    if (state == null) {
      state = new FootprintState();
    }
    if (state.nextEmissionMillis == 0) {
      state.nextEmissionMillis = emissionFrom(signal.endMicros);
      ctx.timerService().registerEventTimeTimer(state.nextEmissionMillis);
    }
    if (signal.endMicros > state.nextEmissionMillis * 1000) {
      early.add(signal);
    } else {
      accumulator.add(state, signal);
    }
    footprints.update(state);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Footprint> out) throws Exception {
    FootprintState state = footprints.value();
    if (state == null || state.nextEmissionMillis != timestamp) {
      return;
    }
    String vmId = ctx.getCurrentKey();
    long now = timestamp * 1000;
    out.collect(accumulator.footprint(vmId, state, now, settings.topPeers()));
    affinities.atEmission(vmId, state, now).forEach(affinity -> ctx.output(AFFINITIES, affinity));
    accumulator.trim(state, now);

    state.nextEmissionMillis = emissionFrom((Math.max(timestamp, ctx.timerService().currentWatermark()) + 1) * 1000);
    boolean waiting = takeEarlySignals(state, state.nextEmissionMillis * 1000);
    if (!waiting && accumulator.forgotten(state, now)) {
      affinities.withdrawAll(vmId, state, now).forEach(affinity -> ctx.output(AFFINITIES, affinity));
      footprints.clear();
      return;
    }
    ctx.timerService().registerEventTimeTimer(state.nextEmissionMillis);
    footprints.update(state);
  }

  /** Adds the buffered signals that end by {@code untilMicros}; returns whether any still wait. */
  private boolean takeEarlySignals(FootprintState state, long untilMicros) throws Exception {
    List<VmSignal> later = new ArrayList<>();
    boolean any = false;
    for (VmSignal signal : early.get()) {
      any = true;
      if (signal.endMicros <= untilMicros) {
        accumulator.add(state, signal);
      } else {
        later.add(signal);
      }
    }
    if (any) {
      early.update(later);
    }
    return !later.isEmpty();
  }

  @Override
  public void processBroadcastElement(VmAddresses vm, Context ctx, Collector<Footprint> out) throws Exception {
    if (vm.present) {
      return;
    }
    Long departedMillis = ctx.timestamp();
    ctx.applyToKeyedState(footprintsDescriptor, (vmId, footprint) -> {
      FootprintState state = footprint.value();
      long now = departedMillis != null ? departedMillis * 1000 : state.latestMicros();
      if (vmId.equals(vm.vmId)) {
        affinities.withdrawAll(vmId, state, now).forEach(affinity -> ctx.output(AFFINITIES, affinity));
        footprint.clear();
        early.clear();
      } else if (state.peers.containsKey(vm.vmId)) {
        affinities.forgetPeer(vmId, state, vm.vmId, now).forEach(affinity -> ctx.output(AFFINITIES, affinity));
        footprint.update(state);
      }
    });
  }

  /** The first emission at or after {@code micros}, in milliseconds: emissions fall on multiples of the interval. */
  private long emissionFrom(long micros) {
    long interval = settings.emissionInterval().toMillis();
    return -Math.floorDiv(-micros, interval * 1000) * interval;
  }
}
