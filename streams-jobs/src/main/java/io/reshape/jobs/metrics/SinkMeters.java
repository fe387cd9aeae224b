package io.reshape.jobs.metrics;

import java.io.Serializable;
import org.apache.flink.metrics.MetricGroup;

/**
 * What a sink measures of the values it writes. Each subtask's sink gets its own copy, opened
 * before the first value.
 *
 * @param <V> the value type
 */
public interface SinkMeters<V> extends Serializable {

  /** Measures nothing. */
  static <V> SinkMeters<V> none() {
    return new SinkMeters<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public void open(MetricGroup group) {}

      @Override
      public void written(V value, long nowMillis) {}
    };
  }

  /** Registers the meters in the sink's group. */
  void open(MetricGroup group);

  /** Measures {@code value}, written at {@code nowMillis} on the wall clock. */
  void written(V value, long nowMillis);
}
