package io.reshape.jobs.sharing;

import io.reshape.events.SharingEstimate;
import io.reshape.jobs.state.EventTimeBuffer;
import io.reshape.schemas.Micros;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Compares each refreshed VM sketch with every other VM's, at most once per {@link
 * SharingSettings#pairInterval} for each VM, and publishes the pairs that share enough ({@link
 * SharingSettings#worthReporting}). A pair once reported is published again when it
 * no longer shares enough, with its new figures, so a reader that keeps the latest estimate per
 * pair does not go on believing in sharing that is gone. A sketch published again unchanged (its
 * VM moved) is not compared again.
 *
 * <p>Updates are taken in event time, as the watermark passes them: all the updates of one instant
 * first, then each pair they touch compared once, its estimate dated by the newer of its two
 * sketches. A pair thus gets at most one estimate an instant, the same whichever upstream subtask
 * delivered first, so the planner never has to choose between two of the same time, and a replay
 * of the same input gives the same estimates.
 *
 * <p>Every pair needs both sketches in one place, so the input is keyed by the one key {@link
 * #FLEET} and the operator runs as a single subtask while the rest of the job keeps its
 * parallelism. A VM's comparison costs O(N k) for N VMs and sketches of k ranks, all the VMs
 * compared in one instant read the stored sketches once, and the state holds N sketches of 8 k
 * bytes: with k = 1024, about 8 MiB and a few million rank comparisons a comparison per thousand
 * VMs. Each VM is compared at most once per pair interval, so a thousand VMs cost about 17
 * comparisons a second at one a minute. A fleet too large for one subtask would need the fleet split into groups and
 * keyed by group pair, or candidate pairs found by banding the sketches (locality-sensitive
 * hashing) instead of comparing every pair.
 */
public class ComparePairs extends KeyedProcessFunction<String, VmSketch, SharingEstimate> {

  private static final long serialVersionUID = 1L;

  /** The key of the fleet-wide operators. */
  public static final String FLEET = "fleet";

  private final SharingSettings settings;
  private transient MapState<String, PageSketch> sketches;
  private transient MapState<String, Boolean> reported;
  /** Event time each VM was last compared with the others, milliseconds. */
  private transient MapState<String, Long> comparedAt;
  private transient EventTimeBuffer<VmSketch> pending;

  public ComparePairs(SharingSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    sketches = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("sketches", Types.STRING, TypeInformation.of(PageSketch.class)));
    reported = getRuntimeContext().getMapState(new MapStateDescriptor<>("reported-pairs", Types.STRING, Types.BOOLEAN));
    comparedAt = getRuntimeContext().getMapState(new MapStateDescriptor<>("compared-at", Types.STRING, Types.LONG));
    pending = new EventTimeBuffer<>(getRuntimeContext(), "pending-updates", TypeInformation.of(VmSketch.class));
  }

  @Override
  public void processElement(VmSketch update, Context ctx, Collector<SharingEstimate> out) throws Exception {
    pending.add(ctx.timestamp(), update, ctx.timerService());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<SharingEstimate> out) throws Exception {
    // Every update of the instant first, then each pair compared once: two VMs refreshed at one
    // instant give one estimate, between both new sketches, not two of the same time.
    Set<String> refreshed = new TreeSet<>();
    for (VmSketch update : VmSketch.inVmOrder(pending.take(timestamp))) {
      if (update.gone()) {
        forget(update.vmId);
        refreshed.remove(update.vmId);
        continue;
      }
      PageSketch previous = sketches.get(update.vmId);
      sketches.put(update.vmId, update.sketch);
      if ((previous == null || previous.sampledUntilMicros != update.sketch.sampledUntilMicros) && due(update.vmId, timestamp)) {
        refreshed.add(update.vmId);
      }
    }
    Map<String, PageSketch> fresh = new TreeMap<>();
    for (String vmId : refreshed) {
      fresh.put(vmId, sketches.get(vmId));
      comparedAt.put(vmId, timestamp);
    }
    List<Map.Entry<String, PageSketch>> freshList = List.copyOf(fresh.entrySet());
    for (int i = 0; i < freshList.size(); i++) {
      for (int j = i + 1; j < freshList.size(); j++) {
        compare(VmPair.of(freshList.get(i).getKey(), freshList.get(j).getKey()), freshList.get(i).getValue(),
            freshList.get(j).getValue(), out);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    // One pass over the state for all of them: each sketch the state holds is read back once an instant, not once per refresh.
    for (Map.Entry<String, PageSketch> other : sketches.entries()) {
      if (fresh.containsKey(other.getKey())) {
        continue;
      }
      for (Map.Entry<String, PageSketch> refreshedSketch : freshList) {
        compare(VmPair.of(refreshedSketch.getKey(), other.getKey()), refreshedSketch.getValue(), other.getValue(), out);
      }
    }
  }

  /** Whether a VM's sketch is due for comparison at {@code timestamp}: never compared, or not within the pair interval. */
  private boolean due(String vmId, long timestamp) throws Exception {
    Long last = comparedAt.get(vmId);
    return last == null || timestamp - last >= settings.pairInterval().toMillis();
  }

  private void compare(VmPair pair, PageSketch sketch, PageSketch other, Collector<SharingEstimate> out) throws Exception {
    Overlap overlap = sketch.overlapWith(other);
    boolean worthReporting = settings.worthReporting(overlap);
    if (worthReporting || reported.contains(pair.key())) {
      out.collect(estimate(pair, overlap, Math.max(sketch.sampledUntilMicros, other.sampledUntilMicros)));
    }
    if (worthReporting) {
      reported.put(pair.key(), true);
    } else {
      reported.remove(pair.key());
    }
  }

  private void forget(String vmId) throws Exception {
    sketches.remove(vmId);
    comparedAt.remove(vmId);
    for (String other : sketches.keys()) {
      reported.remove(VmPair.of(vmId, other).key());
    }
  }

  private static SharingEstimate estimate(VmPair pair, Overlap overlap, long computedAtMicros) {
    return SharingEstimate.newBuilder()
        .setVmA(pair.vmA())
        .setVmB(pair.vmB())
        .setComputedAt(Micros.instant(computedAtMicros))
        .setSimilarity(overlap.similarity())
        .setSharedPages(Math.round(overlap.sharedPages()))
        .setSampledPages(overlap.comparedHashes())
        .build();
  }
}
