package io.reshape.jobs.kafka;

import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import io.reshape.jobs.inventory.FleetMember;
import io.reshape.jobs.inventory.FleetMembership;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes what the collectors write every interval, as {@link DecodeRecords} does, and also
 * refuses records of VMs or hosts the inventory does not list ({@link DeadLetterCause#UNKNOWN_ENTITY}).
 * The inventory comes in as broadcast {@link FleetMember}s; a record of a VM not listed yet waits
 * for it ({@link HeldRecords}) up to the grace. A held record is let through when its VM is listed
 * even if the watermark passed it meanwhile: the wait was this operator's, not the writer's.
 *
 * @param <T> the value type
 */
public class DecodeCollectedRecords<T extends SpecificRecord> extends BroadcastProcessFunction<RawRecord, FleetMember, T>
    implements ResultTypeQueryable<T>, CheckpointedFunction {

  private static final long serialVersionUID = 1L;

  /** The inventory's members by key, and until when records may name them. */
  public static final MapStateDescriptor<String, Long> FLEET = new MapStateDescriptor<>("fleet", Types.STRING, Types.LONG);

  private static final OutputTag<DeadLetter> DEAD_LETTERS = DecodeRecords.DEAD_LETTERS;

  private final Class<T> type;
  private final RecordAdmission<T> admission;
  private final FleetRefs<T> refs;
  private final long graceMillis;
  private transient HeldRecords held;
  private transient ListState<HeldRecord> heldState;
  private transient Counter deadLetters;

  /**
   * @param grace how long a record of a VM or host not listed waits for it, in event time and on the wall clock both
   */
  public DecodeCollectedRecords(Class<T> type, Map<String, String> registryConfig, String stage, RecordCheck<T> check,
      FleetRefs<T> refs, Duration clockAheadLimit, Duration grace) {
    this.type = type;
    this.admission = new RecordAdmission<>(type, registryConfig, stage, check, true, clockAheadLimit);
    this.refs = refs;
    this.graceMillis = grace.toMillis();
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return TypeInformation.of(type);
  }

  @Override
  public void open(OpenContext context) {
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    heldState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("held", HeldRecord.class));
    held = new HeldRecords();
    for (HeldRecord record : heldState.get()) {
      held.hold(record);
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    heldState.update(held.all());
  }

  @Override
  public void processElement(RawRecord record, ReadOnlyContext ctx, Collector<T> out) throws Exception {
    long now = ctx.currentProcessingTime();
    T value = admission.admit(record, ctx.currentWatermark(), now, letter -> reject(ctx, letter));
    if (value == null) {
      return;
    }
    ReadOnlyBroadcastState<String, Long> fleet = ctx.getBroadcastState(FLEET);
    if (!held.isEmpty()) {
      HeldRecords.Outcome settled = held.settle(h -> unlisted(fleet, h) == null, ctx.currentWatermark(), now, graceMillis);
      emit(settled.released(), out);
      for (HeldRecord refused : settled.refused()) {
        reject(ctx, admission.deadLetter(refused.record, DeadLetterCause.UNKNOWN_ENTITY, unlisted(fleet, refused)
            + " (waited " + Duration.ofMillis(now - refused.heldSince) + " for it)"));
      }
    }
    String vmId = refs.vmId().apply(value);
    String hostId = refs.hostId().apply(value);
    if (held.holds(vmId) || unlisted(fleet, vmId, hostId, record.timestamp) != null) {
      held.hold(new HeldRecord(record, vmId, hostId, now));
      return;
    }
    out.collect(value);
  }

  @Override
  public void processBroadcastElement(FleetMember member, Context ctx, Collector<T> out) throws Exception {
    BroadcastState<String, Long> fleet = ctx.getBroadcastState(FLEET);
    fleet.put(member.key, member.listedUntil);
    if (!held.isEmpty()) {
      emit(held.release(h -> unlisted(fleet, h) == null), out);
    }
  }

  private void emit(List<HeldRecord> released, Collector<T> out) {
    for (HeldRecord h : released) {
      out.collect(admission.decodeAdmitted(h.record));
    }
  }

  private static String unlisted(ReadOnlyBroadcastState<String, Long> fleet, HeldRecord h) {
    return unlisted(fleet, h.vmId, h.hostId, h.eventTime());
  }

  private static String unlisted(ReadOnlyBroadcastState<String, Long> fleet, String vmId, String hostId, long eventTime) {
    return FleetMembership.unlisted(vmId, hostId, eventTime, key -> {
      try {
        return fleet.get(key);
      } catch (Exception e) {
        throw new IllegalStateException("Broadcast state of the fleet cannot be read", e);
      }
    });
  }

  private void reject(ReadOnlyContext ctx, DeadLetter letter) {
    deadLetters.inc();
    ctx.output(DEAD_LETTERS, letter);
  }
}
