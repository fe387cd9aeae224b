package io.reshape.jobs.kafka;

import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns raw records into values. Records that cannot be decoded, fail their check, carry no value
 * or (unless they are feedback, see {@link JobInputs#feedback}) arrive after the watermark has
 * passed them go to the {@link #DEAD_LETTERS} side output with the reason; the job goes on.
 *
 * @param <T> the value type
 */
public class DecodeRecords<T extends SpecificRecord> extends ProcessFunction<RawRecord, T>
    implements ResultTypeQueryable<T> {

  private static final long serialVersionUID = 1L;

  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private final Class<T> type;
  private final RawRecordDecoder<T> decoder;
  private final RecordCheck<T> check;
  private final boolean lateIsDead;
  private transient Counter deadLetters;

  public DecodeRecords(Class<T> type, Map<String, String> registryConfig, String stage, RecordCheck<T> check) {
    this(type, registryConfig, stage, check, true);
  }

  /**
   * @param lateIsDead whether a record the watermark has passed is a dead letter; false for feedback
   */
  public DecodeRecords(Class<T> type, Map<String, String> registryConfig, String stage, RecordCheck<T> check, boolean lateIsDead) {
    this.type = type;
    this.decoder = new RawRecordDecoder<>(type, registryConfig, stage);
    this.check = check;
    this.lateIsDead = lateIsDead;
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
  public void processElement(RawRecord record, Context ctx, Collector<T> out) {
    if (record.value == null) {
      reject(ctx, decoder.deadLetter(record, DeadLetterCause.INVALID_VALUE, "Record has no value (a tombstone on a topic that is not compacted)"));
      return;
    }
    T value = decoder.decode(record, letter -> reject(ctx, letter));
    if (value == null) {
      return;
    }
    String problem = check.problem(value, record.timestamp);
    if (problem != null) {
      reject(ctx, decoder.deadLetter(record, DeadLetterCause.INVALID_VALUE, problem));
      return;
    }
    long watermark = ctx.timerService().currentWatermark();
    if (lateIsDead && record.timestamp <= watermark) {
      reject(ctx, decoder.deadLetter(record, DeadLetterCause.LATE, "Event time " + Instant.ofEpochMilli(record.timestamp)
          + " arrived after the watermark had reached " + Instant.ofEpochMilli(watermark)));
      return;
    }
    out.collect(value);
  }

  private void reject(Context ctx, DeadLetter letter) {
    deadLetters.inc();
    ctx.output(DEAD_LETTERS, letter);
  }
}
