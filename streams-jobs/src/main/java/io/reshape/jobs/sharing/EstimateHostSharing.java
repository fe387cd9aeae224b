package io.reshape.jobs.sharing;

import io.reshape.events.HostSharing;
import io.reshape.jobs.state.EventTimeBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * What KSM would gain on each host from the VMs placed there, from the union of their sketches.
 *
 * <p>A host's figure is published when it may have changed (a VM arrived, left, or had its sketch
 * refreshed), at most once per {@link SharingSettings#hostInterval}: changes are gathered and
 * published by an event-time timer at the end of the interval they fall in. Updates are taken in
 * event time ({@link EventTimeBuffer}), those of one instant in the order of their VM ids, so a
 * figure never includes an update from after its time that happened to arrive early, and a replay
 * publishes the same figures at the same times. A host left without VMs is published once with nothing to
 * gain, then forgotten.
 *
 * <p>Keyed by the one key {@link ComparePairs#FLEET}, like the pair comparison: a VM that moves
 * changes two hosts, and one place sees both. A publication costs O(n k) for the n VMs of the
 * changed hosts; the state holds one sketch per VM.
 */
public class EstimateHostSharing extends KeyedProcessFunction<String, VmSketch, HostSharing> {

  private static final long serialVersionUID = 1L;

  private final SharingSettings settings;
  private transient MapState<String, VmSketch> vms;
  private transient MapState<String, Boolean> changedHosts;
  private transient EventTimeBuffer<VmSketch> pending;

  public EstimateHostSharing(SharingSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    vms = getRuntimeContext().getMapState(new MapStateDescriptor<>("vms", Types.STRING, TypeInformation.of(VmSketch.class)));
    changedHosts = getRuntimeContext().getMapState(new MapStateDescriptor<>("changed-hosts", Types.STRING, Types.BOOLEAN));
    pending = new EventTimeBuffer<>(getRuntimeContext(), "pending-updates", TypeInformation.of(VmSketch.class));
  }

  @Override
  public void processElement(VmSketch update, Context ctx, Collector<HostSharing> out) throws Exception {
    pending.add(ctx.timestamp(), update, ctx.timerService());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<HostSharing> out) throws Exception {
    for (VmSketch update : VmSketch.inVmOrder(pending.take(timestamp))) {
      apply(update, timestamp, ctx);
    }
    if (Math.floorMod(timestamp, settings.hostInterval().toMillis()) == 0) {
      publish(timestamp, out);
    }
  }

  private void apply(VmSketch update, long at, Context ctx) throws Exception {
    VmSketch before = vms.get(update.vmId);
    if (before == null && update.gone()) {
      return;
    }
    if (before != null) {
      changedHosts.put(before.hostId, true);
    }
    if (update.gone()) {
      vms.remove(update.vmId);
    } else {
      vms.put(update.vmId, update);
      changedHosts.put(update.hostId, true);
    }
    long interval = settings.hostInterval().toMillis();
    ctx.timerService().registerEventTimeTimer(at - Math.floorMod(at, interval) + interval);
  }

  private void publish(long timestamp, Collector<HostSharing> out) throws Exception {
    Map<String, List<VmSketch>> onHost = new TreeMap<>();
    for (String host : changedHosts.keys()) {
      onHost.put(host, new ArrayList<>());
    }
    for (VmSketch vm : vms.values()) {
      List<VmSketch> changed = onHost.get(vm.hostId);
      if (changed != null) {
        changed.add(vm);
      }
    }
    onHost.forEach((host, members) -> out.collect(hostSharing(host, timestamp, members)));
    changedHosts.clear();
  }

  /** The VMs share the host's page size; a host without VMs gains nothing. */
  private static HostSharing hostSharing(String hostId, long timestamp, List<VmSketch> members) {
    members.sort(Comparator.comparing(vm -> vm.vmId));
    MemoryContents contents = MemoryContents.of(members.stream().map(vm -> vm.sketch).toList());
    long mergeable = Math.round(contents.mergeable());
    int pageSize = members.isEmpty() ? 0 : members.get(0).sketch.pageSize;
    return HostSharing.newBuilder()
        .setHostId(hostId)
        .setComputedAt(Instant.ofEpochMilli(timestamp))
        .setVmIds(members.stream().map(vm -> vm.vmId).toList())
        .setTotalPages(Math.round(contents.pages()))
        .setMergeablePages(mergeable)
        .setMergeableBytes(mergeable * pageSize)
        .build();
  }
}
