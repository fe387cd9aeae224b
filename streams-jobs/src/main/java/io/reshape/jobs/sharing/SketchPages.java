package io.reshape.jobs.sharing;

import io.reshape.events.PageFingerprints;
import io.reshape.jobs.inventory.VmPlacement;
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
 * VM the inventory drops is published as gone and forgotten; fingerprints read before its
 * departure but delivered after are ignored until the watermark passes the departure, after which
 * the decoder refuses them as late. Keyed by VM id.
 */
public class SketchPages extends KeyedCoProcessFunction<String, PageFingerprints, VmPlacement, VmSketch> {

  private static final long serialVersionUID = 1L;

  private final SharingSettings settings;
  private transient ValueState<SketchPasses> passes;
  private transient ValueState<String> placedOn;
  private transient ValueState<Long> departedAt;

  public SketchPages(SharingSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    passes = getRuntimeContext().getState(new ValueStateDescriptor<>("passes", TypeInformation.of(SketchPasses.class)));
    placedOn = getRuntimeContext().getState(new ValueStateDescriptor<>("placed-on", Types.STRING));
    departedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("departed-at", Types.LONG));
  }

  @Override
  public void processElement1(PageFingerprints record, Context ctx, Collector<VmSketch> out) throws Exception {
    Long departure = departedAt.value();
    if (departure != null && ctx.timestamp() <= departure) {
      return;
    }
    SketchPasses vm = passes.value() == null ? new SketchPasses() : passes.value();
    Optional<PageSketch> refreshed = vm.add(FingerprintWindow.of(record), settings.sketchSize());
    passes.update(vm);
    if (refreshed.isPresent()) {
      String host = placedOn.value();
      out.collect(VmSketch.of(record.getVmId(), host != null ? host : record.getHostId(), refreshed.get()));
    }
  }

  @Override
  public void processElement2(VmPlacement placement, Context ctx, Collector<VmSketch> out) throws Exception {
    SketchPasses vm = passes.value();
    if (!placement.present) {
      if (vm != null) {
        out.collect(VmSketch.gone(placement.vmId));
      }
      passes.clear();
      placedOn.clear();
      departedAt.update(ctx.timestamp());
      ctx.timerService().registerEventTimeTimer(ctx.timestamp());
      return;
    }
    String before = placedOn.value();
    placedOn.update(placement.hostId);
    if (vm != null && vm.published != null && !placement.hostId.equals(before)) {
      out.collect(VmSketch.of(placement.vmId, placement.hostId, vm.published));
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<VmSketch> out) throws Exception {
    Long departure = departedAt.value();
    if (departure != null && departure == timestamp) {
      departedAt.clear();
    }
  }
}
