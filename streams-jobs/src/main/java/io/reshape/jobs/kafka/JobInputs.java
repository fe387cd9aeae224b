package io.reshape.jobs.kafka;

import io.reshape.events.DeadLetter;
import io.reshape.jobs.inventory.DecodeFleetMembers;
import io.reshape.jobs.inventory.FleetMember;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.clock.SystemClock;

/**
 * How a job reads its input topics: in event time (the record timestamp, bounded out-of-orderness,
 * idle partitions let go, records ahead of the clock kept out of it: {@link ClockBoundedWatermarks}), each source decoded right after it, both named after the topic and
 * with operator ids under the job's name, so jobs can share one Flink job.
 *
 * <p>Three kinds of topic: what the collectors write every interval ({@link #collected}: a pause
 * holds event time back, up to the stall timeout); what changes now and then ({@link #decoded}: a
 * partition silent for the idle timeout lets go), the inventory among them unless it is collected
 * ({@link #inventory}); and feedback ({@link #feedback}: never holds event time back). A collected
 * topic's records must name a VM and a host the inventory lists ({@link #fleet}).
 */
public final class JobInputs {

  /** The inventory's name in operator names and ids. */
  public static final String INVENTORY = "inventory";

  private final StreamExecutionEnvironment env;
  private final String job;
  private final Map<String, String> registryConfig;
  private final WatermarkStrategy<RawRecord> changes;
  private final WatermarkStrategy<RawRecord> collected;
  private final WatermarkStrategy<RawRecord> feedback;
  private final EventTime eventTime;
  private DataStream<RawRecord> inventoryRecords;

  public JobInputs(StreamExecutionEnvironment env, String job, Map<String, String> registryConfig, EventTime eventTime) {
    this.env = env;
    this.job = job;
    this.registryConfig = registryConfig;
    long aheadLimit = eventTime.clockAheadLimit().toMillis();
    this.changes = WatermarkStrategy.<RawRecord>forGenerator(context -> new ClockBoundedWatermarks(
            new BoundedOutOfOrdernessWatermarks<>(eventTime.outOfOrderness()), aheadLimit, SystemClock.getInstance()))
        .withTimestampAssigner((record, kafkaTimestamp) -> record.timestamp)
        .withIdleness(eventTime.sourceIdleTimeout());
    this.collected = WatermarkStrategy.<RawRecord>forGenerator(context -> new ClockBoundedWatermarks(
            new CollectedStreamWatermarks(eventTime.outOfOrderness(), eventTime.sourceIdleTimeout(), eventTime.stallTimeout(),
                context.getInputActivityClock()), aheadLimit, SystemClock.getInstance()))
        .withTimestampAssigner((record, kafkaTimestamp) -> record.timestamp);
    this.eventTime = eventTime;
    this.feedback = WatermarkStrategy.<RawRecord>forGenerator(context -> new NeverHoldsBack())
        .withTimestampAssigner((record, kafkaTimestamp) -> record.timestamp);
  }

  /** A topic's values; undecodable or invalid ones go to the dead-letter side output. */
  public <T extends SpecificRecord> SingleOutputStreamOperator<T> decoded(String topic, Source<RawRecord, ?, ?> source, Class<T> type,
      RecordCheck<T> check) {
    return read(topic, source, changes, new DecodeRecords<>(type, registryConfig, decodeStage(topic), check, true,
        eventTime.clockAheadLimit()));
  }

  /**
   * A topic the collectors write every interval, decoded as {@link #decoded} does; a record must
   * also name a VM and a host that {@code fleet} lists, or it waits for them, up to the grace.
   */
  public <T extends SpecificRecord> SingleOutputStreamOperator<T> collected(String topic, Source<RawRecord, ?, ?> source, Class<T> type,
      RecordCheck<T> check, FleetRefs<T> refs, Fleet fleet) {
    return env.fromSource(source, collected, topic).uid(job + "/" + topic + "-source")
        .connect(fleet.members())
        .transform("decode-" + topic, TypeInformation.of(type), new DecodeCollectedRecords<>(type, registryConfig, decodeStage(topic),
            check, refs, eventTime.clockAheadLimit(), eventTime.unlistedGrace()))
        .uid(job + "/decode-" + topic);
  }

  /**
   * The inventory's hosts and VMs, for the decoders of collected topics, and the inventory records
   * it could not read: the same ones any other decoding of the inventory in the job refuses, so a
   * job sinks them only when it has no other.
   */
  public record Fleet(DataStream<FleetMember> members, DataStream<DeadLetter> deadLetters) {}

  /** The inventory's members, read from {@code source}, the same inventory as {@link #inventory} reads. */
  public Fleet fleet(Source<RawRecord, ?, ?> source) {
    SingleOutputStreamOperator<FleetMember> members = inventoryRecords(source)
        .process(new DecodeFleetMembers(registryConfig, decodeStage("fleet"))).name("decode-fleet").uid(job + "/decode-fleet");
    return new Fleet(members.broadcast(), members.getSideOutput(DecodeRecords.DEAD_LETTERS));
  }

  /**
   * A topic of feedback: outcomes of the pipeline's own decisions and questions it asked itself.
   * Such a record carries the event time of what it answers, which the watermark has passed by the
   * time it comes back, so it is never late, and it never holds event time back.
   */
  public <T extends SpecificRecord> SingleOutputStreamOperator<T> feedback(String topic, Source<RawRecord, ?, ?> source,
      Class<T> type) {
    return read(topic, source, feedback, new DecodeRecords<>(type, registryConfig, decodeStage(topic), RecordCheck.none(), false,
        eventTime.clockAheadLimit()));
  }

  /** The inventory, read through a decoding of the job's own, which names itself with {@link #decodeStage}. */
  public <T> SingleOutputStreamOperator<T> inventory(Source<RawRecord, ?, ?> source, ProcessFunction<RawRecord, T> decode) {
    return inventoryRecords(source).process(decode).name("decode-" + INVENTORY).uid(job + "/decode-" + INVENTORY);
  }

  /** The inventory as read, once per job however many decodings it feeds. */
  private DataStream<RawRecord> inventoryRecords(Source<RawRecord, ?, ?> source) {
    if (inventoryRecords == null) {
      inventoryRecords = env.fromSource(source, eventTime.inventoryCollected() ? collected : changes, INVENTORY).uid(job + "/" + INVENTORY + "-source");
    }
    return inventoryRecords;
  }

  private <T> SingleOutputStreamOperator<T> read(String topic, Source<RawRecord, ?, ?> source, WatermarkStrategy<RawRecord> watermarks,
      ProcessFunction<RawRecord, T> decode) {
    return env.fromSource(source, watermarks, topic).uid(job + "/" + topic + "-source")
        .process(decode).name("decode-" + topic).uid(job + "/decode-" + topic);
  }

  /** The stage a dead letter of this topic's decoding names. */
  public String decodeStage(String topic) {
    return job + "/decode-" + topic;
  }
}
