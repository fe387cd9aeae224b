package io.reshape.jobs.kafka;

import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import io.reshape.jobs.inventory.FleetMember;
import io.reshape.jobs.inventory.FleetMembership;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Decodes what the collectors write every interval, as {@link DecodeRecords} does, and also
 * refuses records of VMs or hosts the inventory does not list ({@link DeadLetterCause#UNKNOWN_ENTITY}).
 * The inventory's members come in on the second input, broadcast to every subtask and kept in
 * broadcast state. A record of a VM or host not listed yet waits for it ({@link HeldRecords}) up to
 * the grace on the wall clock, checked by a timer, so that the refusal comes even when nothing else
 * arrives. A held record is let through when what it names is listed, even if the watermark passed
 * it meanwhile: the wait was this operator's, not the writer's.
 *
 * <p>An operator rather than a function: a function on a broadcast input has no timers.
 *
 * @param <T> the value type
 */
public class DecodeCollectedRecords<T extends SpecificRecord> extends AbstractStreamOperator<T>
    implements TwoInputStreamOperator<RawRecord, FleetMember, T> {

  private static final long serialVersionUID = 1L;

  /** The inventory's members by key, and until when records may name them. */
  public static final MapStateDescriptor<String, Long> FLEET = new MapStateDescriptor<>("fleet", Types.STRING, Types.LONG);
  /** How often held records are looked at when nothing else comes. */
  private static final long SETTLE_EVERY_MILLIS = 1_000;

  private final RecordAdmission<T> admission;
  private final FleetRefs<T> refs;
  private final long graceMillis;
  private transient HeldRecords held;
  private transient ListState<HeldRecord> heldState;
  private transient BroadcastState<String, Long> fleet;
  private transient Counter deadLetters;
  private transient long watermark;
  private transient boolean settleScheduled;

  /**
   * @param grace how long a record of a VM or host not listed waits for it
   */
  public DecodeCollectedRecords(Class<T> type, Map<String, String> registryConfig, String stage, RecordCheck<T> check,
      FleetRefs<T> refs, Duration clockAheadLimit, Duration grace) {
    this.admission = new RecordAdmission<>(type, registryConfig, stage, check, true, clockAheadLimit);
    this.refs = refs;
    this.graceMillis = grace.toMillis();
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    heldState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("held", HeldRecord.class));
    fleet = context.getOperatorStateStore().getBroadcastState(FLEET);
    held = new HeldRecords();
    for (HeldRecord record : heldState.get()) {
      held.hold(record);
    }
    watermark = Long.MIN_VALUE;
  }

  @Override
  public void open() throws Exception {
    super.open();
    deadLetters = getMetricGroup().counter("deadLetters");
    if (!held.isEmpty()) {
      scheduleSettle();
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    heldState.update(held.all());
  }

  @Override
  public void processElement1(StreamRecord<RawRecord> element) throws Exception {
    RawRecord record = element.getValue();
    long now = getProcessingTimeService().getCurrentProcessingTime();
    T value = admission.admit(record, watermark, now, this::reject);
    if (value == null) {
      return;
    }
    if (!held.isEmpty()) {
      settle(now);
    }
    String vmId = refs.vmId().apply(value);
    String hostId = refs.hostId().apply(value);
    if (held.holds(vmId, hostId) || unlisted(vmId, hostId, record.timestamp) != null) {
      held.hold(new HeldRecord(record, vmId, hostId, now));
      scheduleSettle();
      return;
    }
    output.collect(element.replace(value));
  }

  @Override
  public void processElement2(StreamRecord<FleetMember> element) throws Exception {
    fleet.put(element.getValue().key, element.getValue().listedUntil);
    if (!held.isEmpty()) {
      settle(getProcessingTimeService().getCurrentProcessingTime());
    }
  }

  /** The records' own watermark: the one their lateness is judged by, as {@link DecodeRecords} judges it. */
  @Override
  public void processWatermark1(Watermark mark) throws Exception {
    watermark = mark.getTimestamp();
    super.processWatermark1(mark);
  }

  private void scheduleSettle() {
    if (!settleScheduled) {
      settleScheduled = true;
      getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime() + SETTLE_EVERY_MILLIS, time -> {
        settleScheduled = false;
        settle(getProcessingTimeService().getCurrentProcessingTime());
        if (!held.isEmpty()) {
          scheduleSettle();
        }
      });
    }
  }

  private void settle(long now) {
    HeldRecords.Outcome settled = held.settle(h -> unlisted(h.vmId, h.hostId, h.eventTime()) == null, now, graceMillis);
    for (HeldRecord released : settled.released()) {
      output.collect(new StreamRecord<>(admission.decodeAdmitted(released.record), released.eventTime()));
    }
    for (HeldRecord refused : settled.refused()) {
      reject(admission.deadLetter(refused.record, DeadLetterCause.UNKNOWN_ENTITY,
          unlisted(refused.vmId, refused.hostId, refused.eventTime()) + " (waited " + Duration.ofMillis(now - refused.heldSince)
              + " for it)"));
    }
  }

  private String unlisted(String vmId, String hostId, long eventTime) {
    return FleetMembership.unlisted(vmId, hostId, eventTime, key -> {
      try {
        return fleet.get(key);
      } catch (Exception e) {
        throw new IllegalStateException("The fleet's broadcast state cannot be read", e);
      }
    });
  }

  private void reject(DeadLetter letter) {
    deadLetters.inc();
    output.collect(DecodeRecords.DEAD_LETTERS, new StreamRecord<>(letter));
  }
}
