package io.reshape.jobs.metrics;

import io.reshape.events.Decision;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The planner's {@code decisions} by {@code action}, and {@code sampleToDecisionMillis}: how long
 * after the samples it was made from (its event time) a decision leaves the planner.
 */
public final class DecisionMeters implements SinkMeters<Decision> {

  private static final long serialVersionUID = 1L;
  /** The latest decisions the latency's quantiles are over. */
  private static final int LATENCY_WINDOW = 1000;

  private transient LabelledCounters byAction;
  private transient Histogram latency;

  @Override
  public void open(MetricGroup group) {
    byAction = new LabelledCounters(group, "action", "decisions");
    latency = group.histogram("sampleToDecisionMillis", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
  }

  @Override
  public void written(Decision decision, long nowMillis) {
    byAction.inc(decision.getAction().name());
    latency.update(Math.max(0, nowMillis - decision.getCreatedAt().toEpochMilli()));
  }
}
