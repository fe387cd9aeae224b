package io.reshape.jobs.metrics;

import io.reshape.events.Plan;
import org.apache.flink.metrics.MetricGroup;

/** {@code hostsFreed} by {@code cell}: hosts of the cell its latest plan leaves without a VM. */
public final class PlanMeters implements SinkMeters<Plan> {

  private static final long serialVersionUID = 1L;

  private transient LabelledGauges hostsFreed;

  @Override
  public void open(MetricGroup group) {
    hostsFreed = new LabelledGauges(group, "cell", "hostsFreed");
  }

  @Override
  public void written(Plan plan, long nowMillis) {
    hostsFreed.set(plan.getCellId(), plan.getHosts() - plan.getActiveHosts());
  }
}
