package io.reshape.jobs.sharing;

import io.reshape.events.PageFingerprints;
import io.reshape.jobs.inventory.VmPlacement;
import io.reshape.jobs.state.EventTimeBuffer;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Builds each VM's page sketch from its fingerprint records, pass by pass ({@link SketchPasses}),
 * and publishes it with the host the inventory places the VM on (until the inventory has, the host
 * its pages were read on). A VM whose placement changes is published again with its new host. A
 * VM the inventory drops is published as gone and forgotten. Keyed by VM id.
 *
 * <p>Both inputs are taken in event time ({@link EventTimeBuffer}), at one instant the placements
 * first: which fingerprints count before a VM leaves, and which host a sketch is published with,
 * never depend on which of the two topics happened to be read first, so a replay gives the same
 * sketches. Fingerprints read at the instant the VM left belong to the VM that left; those read
 * before it arrive in time (the decoder refuses late ones).
 */
public class SketchPages extends KeyedCoProcessFunction<String, PageFingerprints, VmPlacement, VmSketch> {

  private static final long serialVersionUID = 1L;

  private final SharingSettings settings;
  private transient ValueState<SketchPasses> passes;
  private transient ValueState<String> placedOn;
  private transient EventTimeBuffer<PageFingerprints> fingerprints;
  private transient EventTimeBuffer<VmPlacement> placements;

  public SketchPages(SharingSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    passes = getRuntimeContext().getState(new ValueStateDescriptor<>("passes", TypeInformation.of(SketchPasses.class)));
    placedOn = getRuntimeContext().getState(new ValueStateDescriptor<>("placed-on", Types.STRING));
    fingerprints = new EventTimeBuffer<>(getRuntimeContext(), "pending-fingerprints", TypeInformation.of(PageFingerprints.class));
    placements = new EventTimeBuffer<>(getRuntimeContext(), "pending-placements", TypeInformation.of(VmPlacement.class));
  }

  @Override
  public void processElement1(PageFingerprints record, Context ctx, Collector<VmSketch> out) throws Exception {
    fingerprints.add(ctx.timestamp(), record, ctx.timerService());
  }

  @Override
  public void processElement2(VmPlacement placement, Context ctx, Collector<VmSketch> out) throws Exception {
    placements.add(ctx.timestamp(), placement, ctx.timerService());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<VmSketch> out) throws Exception {
    boolean departed = false;
    for (VmPlacement placement : placements.take(timestamp)) {
      departed = !place(placement, out);
    }
    for (PageFingerprints record : fingerprints.take(timestamp)) {
      if (!departed) {
        sketch(record, out);
      }
    }
  }

  private void sketch(PageFingerprints record, Collector<VmSketch> out) throws Exception {
    SketchPasses vm = passes.value() == null ? new SketchPasses() : passes.value();
    Optional<PageSketch> refreshed = vm.add(FingerprintWindow.of(record), settings.sketchSize());
    passes.update(vm);
    if (refreshed.isPresent()) {
      String host = placedOn.value();
      out.collect(VmSketch.of(record.getVmId(), host != null ? host : record.getHostId(), refreshed.get()));
    }
  }

  /** Applies a placement; false when it says the VM left. */
  private boolean place(VmPlacement placement, Collector<VmSketch> out) throws Exception {
    SketchPasses vm = passes.value();
    if (!placement.present) {
      if (vm != null) {
        out.collect(VmSketch.gone(placement.vmId));
      }
      passes.clear();
      placedOn.clear();
      return false;
    }
    String before = placedOn.value();
    placedOn.update(placement.hostId);
    if (vm != null && vm.published != null && !placement.hostId.equals(before)) {
      out.collect(VmSketch.of(placement.vmId, placement.hostId, vm.published));
    }
    return true;
  }
}
