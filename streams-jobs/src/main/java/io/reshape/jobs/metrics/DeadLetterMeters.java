package io.reshape.jobs.metrics;

import io.reshape.events.DeadLetter;
import org.apache.flink.metrics.MetricGroup;

/** {@code deadLetters} by {@code cause}: the records a job refused, and why. */
public final class DeadLetterMeters implements SinkMeters<DeadLetter> {

  private static final long serialVersionUID = 1L;

  private transient LabelledCounters byCause;

  @Override
  public void open(MetricGroup group) {
    byCause = new LabelledCounters(group, "cause", "deadLetters");
  }

  @Override
  public void written(DeadLetter letter, long nowMillis) {
    byCause.inc(letter.getCause().name());
  }
}
