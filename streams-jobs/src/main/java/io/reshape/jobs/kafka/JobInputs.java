package io.reshape.jobs.kafka;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;

/**
 * How a job reads its input topics: in event time (the record timestamp, bounded out-of-orderness,
 * idle partitions let go), each source decoded right after it, both named after the topic and
 * with operator ids under the job's name, so jobs can share one Flink job.
 *
 * <p>Three kinds of topic: what the collectors write every interval ({@link #collected}: a pause
 * holds event time back, up to the stall timeout); what changes now and then ({@link #decoded}: a
 * partition silent for the idle timeout lets go), the inventory among them unless it is collected
 * ({@link #inventory}); and feedback ({@link #feedback}: never holds event time back).
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
  private final boolean inventoryCollected;

  public JobInputs(StreamExecutionEnvironment env, String job, Map<String, String> registryConfig, EventTime eventTime) {
    this.env = env;
    this.job = job;
    this.registryConfig = registryConfig;
    this.changes = WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(eventTime.outOfOrderness())
        .withTimestampAssigner((record, kafkaTimestamp) -> record.timestamp)
        .withIdleness(eventTime.sourceIdleTimeout());
    this.collected = WatermarkStrategy.<RawRecord>forGenerator(context -> new CollectedStreamWatermarks(eventTime.outOfOrderness(),
            eventTime.sourceIdleTimeout(), eventTime.stallTimeout(), context.getInputActivityClock()))
        .withTimestampAssigner((record, kafkaTimestamp) -> record.timestamp);
    this.inventoryCollected = eventTime.inventoryCollected();
    this.feedback = WatermarkStrategy.<RawRecord>forGenerator(context -> new NeverHoldsBack())
        .withTimestampAssigner((record, kafkaTimestamp) -> record.timestamp);
  }

  /** A topic's values; undecodable or invalid ones go to the dead-letter side output. */
  public <T extends SpecificRecord> SingleOutputStreamOperator<T> decoded(String topic, Source<RawRecord, ?, ?> source, Class<T> type,
      RecordCheck<T> check) {
    return read(topic, source, changes, new DecodeRecords<>(type, registryConfig, decodeStage(topic), check));
  }

  /** A topic the collectors write every interval, decoded as {@link #decoded} does. */
  public <T extends SpecificRecord> SingleOutputStreamOperator<T> collected(String topic, Source<RawRecord, ?, ?> source, Class<T> type,
      RecordCheck<T> check) {
    return read(topic, source, collected, new DecodeRecords<>(type, registryConfig, decodeStage(topic), check));
  }

  /**
   * A topic of feedback: outcomes of the pipeline's own decisions and questions it asked itself.
   * Such a record carries the event time of what it answers, which the watermark has passed by the
   * time it comes back, so it is never late, and it never holds event time back.
   */
  public <T extends SpecificRecord> SingleOutputStreamOperator<T> feedback(String topic, Source<RawRecord, ?, ?> source,
      Class<T> type) {
    return read(topic, source, feedback, new DecodeRecords<>(type, registryConfig, decodeStage(topic), RecordCheck.none(), false));
  }

  /** The inventory, read through a decoding of the job's own, which names itself with {@link #decodeStage}. */
  public <T> SingleOutputStreamOperator<T> inventory(Source<RawRecord, ?, ?> source, ProcessFunction<RawRecord, T> decode) {
    return read(INVENTORY, source, inventoryCollected ? collected : changes, decode);
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
