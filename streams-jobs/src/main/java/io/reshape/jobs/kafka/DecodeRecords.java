package io.reshape.jobs.kafka;

import io.reshape.events.DeadLetter;
import java.time.Duration;
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
 * Turns raw records into values. Records that {@link RecordAdmission} refuses go to the
 * {@link #DEAD_LETTERS} side output with the reason; the job goes on.
 *
 * @param <T> the value type
 */
public class DecodeRecords<T extends SpecificRecord> extends ProcessFunction<RawRecord, T>
    implements ResultTypeQueryable<T> {

  private static final long serialVersionUID = 1L;

  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private final Class<T> type;
  private final RecordAdmission<T> admission;
  private transient Counter deadLetters;

  /**
   * @param inEventTime whether event time counts (see {@link RecordAdmission}); false for feedback
   */
  public DecodeRecords(Class<T> type, Map<String, String> registryConfig, String stage, RecordCheck<T> check, boolean inEventTime,
      Duration clockAheadLimit) {
    this.type = type;
    this.admission = new RecordAdmission<>(type, registryConfig, stage, check, inEventTime, clockAheadLimit);
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
    T value = admission.admit(record, ctx.timerService().currentWatermark(), ctx.timerService().currentProcessingTime(), letter -> {
      deadLetters.inc();
      ctx.output(DEAD_LETTERS, letter);
    });
    if (value != null) {
      out.collect(value);
    }
  }
}
