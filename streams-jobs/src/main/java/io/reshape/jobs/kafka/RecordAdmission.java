package io.reshape.jobs.kafka;

import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a raw record must pass to become a value: it has a value, the value decodes and passes its
 * check, its event time is not ahead of the clock by more than the limit (a clock that jumped
 * forward would carry the watermark with it and make every other record late), and, unless it is
 * feedback, the watermark has not passed it (a clock that jumped back lands here).
 *
 * @param <T> the value type
 */
public final class RecordAdmission<T extends SpecificRecord> implements Serializable {

  private static final long serialVersionUID = 1L;

  private final RawRecordDecoder<T> decoder;
  private final RecordCheck<T> check;
  private final boolean inEventTime;
  private final long clockAheadLimitMillis;

  /**
   * @param inEventTime whether the record's event time counts: a record the watermark has passed or
   *     that is ahead of the clock is refused; false for feedback, which carries the event time of what it answers
   */
  public RecordAdmission(Class<T> type, Map<String, String> registryConfig, String stage, RecordCheck<T> check,
      boolean inEventTime, Duration clockAheadLimit) {
    this.decoder = new RawRecordDecoder<>(type, registryConfig, stage);
    this.check = check;
    this.inEventTime = inEventTime;
    this.clockAheadLimitMillis = clockAheadLimit.toMillis();
  }

  /** The record's value, or null after handing the reason it was refused to {@code reject}. */
  public T admit(RawRecord record, long watermark, long nowMillis, Consumer<DeadLetter> reject) {
    if (record.value == null) {
      reject.accept(decoder.deadLetter(record, DeadLetterCause.INVALID_VALUE,
          "Record has no value (a tombstone on a topic that is not compacted)"));
      return null;
    }
    T value = decoder.decode(record, reject);
    if (value == null) {
      return null;
    }
    String problem = check.problem(value, record.timestamp);
    if (problem != null) {
      reject.accept(decoder.deadLetter(record, DeadLetterCause.INVALID_VALUE, problem));
      return null;
    }
    if (inEventTime && record.timestamp > nowMillis + clockAheadLimitMillis) {
      reject.accept(decoder.deadLetter(record, DeadLetterCause.INVALID_VALUE, "Event time " + Instant.ofEpochMilli(record.timestamp)
          + " is " + Duration.ofMillis(record.timestamp - nowMillis) + " ahead of this clock (" + Instant.ofEpochMilli(nowMillis)
          + "), more than the " + Duration.ofMillis(clockAheadLimitMillis) + " allowed: the writer's clock jumped"));
      return null;
    }
    if (inEventTime && record.timestamp <= watermark) {
      reject.accept(decoder.deadLetter(record, DeadLetterCause.LATE, "Event time " + Instant.ofEpochMilli(record.timestamp)
          + " arrived after the watermark had reached " + Instant.ofEpochMilli(watermark)));
      return null;
    }
    return value;
  }

  /** The value of a record admitted before (held since, or restored from a checkpoint): it decodes as it did then. */
  public T decodeAdmitted(RawRecord record) {
    return decoder.decode(record, letter -> {
      throw new IllegalStateException("A record admitted before no longer decodes: " + letter.getReason());
    });
  }

  /** A dead letter of this stage. */
  public DeadLetter deadLetter(RawRecord record, DeadLetterCause cause, String reason) {
    return decoder.deadLetter(record, cause, reason);
  }
}
