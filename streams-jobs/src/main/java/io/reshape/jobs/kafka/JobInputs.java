package io.reshape.jobs.kafka;

import java.time.Duration;
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
 * holds event time back, up to {@link #STALL_TIMEOUT}); what changes now and then, such as the
 * inventory ({@link #decoded}, {@link #read}: a partition silent for the idle timeout lets go); and
 * feedback ({@link #feedback}: never holds event time back).
 */
public final class JobInputs {

  /** A collected partition silent this long has stalled (its collectors are gone), and lets event time go on without it. */
  public static final Duration STALL_TIMEOUT = Duration.ofMinutes(1);

  private final StreamExecutionEnvironment env;
  private final String job;
  private final Map<String, String> registryConfig;
  private final WatermarkStrategy<RawRecord> eventTime;
  private final WatermarkStrategy<RawRecord> collected;
  private final WatermarkStrategy<RawRecord> feedback;

  public JobInputs(StreamExecutionEnvironment env, String job, Map<String, String> registryConfig, Duration outOfOrderness,
      Duration sourceIdleTimeout) {
    this.env = env;
    this.job = job;
    this.registryConfig = registryConfig;
    this.eventTime = WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(outOfOrderness)
        .withTimestampAssigner((record, kafkaTimestamp) -> record.timestamp)
        .withIdleness(sourceIdleTimeout);
    this.collected = WatermarkStrategy.<RawRecord>forGenerator(context ->
            new CollectedStreamWatermarks(outOfOrderness, sourceIdleTimeout, STALL_TIMEOUT, context.getInputActivityClock()))
        .withTimestampAssigner((record, kafkaTimestamp) -> record.timestamp);
    this.feedback = WatermarkStrategy.<RawRecord>forGenerator(context -> new NeverHoldsBack())
        .withTimestampAssigner((record, kafkaTimestamp) -> record.timestamp);
  }

  /** A topic's values; undecodable or invalid ones go to the dead-letter side output. */
  public <T extends SpecificRecord> SingleOutputStreamOperator<T> decoded(String topic, Source<RawRecord, ?, ?> source, Class<T> type,
      RecordCheck<T> check) {
    return read(topic, source, new DecodeRecords<>(type, registryConfig, decodeStage(topic), check));
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

  /** A topic read through a decoding of the job's own, which names itself with {@link #decodeStage}. */
  public <T> SingleOutputStreamOperator<T> read(String topic, Source<RawRecord, ?, ?> source, ProcessFunction<RawRecord, T> decode) {
    return read(topic, source, eventTime, decode);
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
