package io.reshape.jobs.kafka;

import java.io.Serializable;

/**
 * Checks a decoded value for what the schema cannot express (ranges, consistency).
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface RecordCheck<T> extends Serializable {

  /** What is wrong with {@code value}, or null when nothing is. */
  String problem(T value, long recordTimestamp);

  /** For values whose schema says all there is to check. */
  static <T> RecordCheck<T> none() {
    return (value, recordTimestamp) -> null;
  }
}
