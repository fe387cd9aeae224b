package io.reshape.jobs.metrics;

import io.reshape.events.HostSharing;
import org.apache.flink.metrics.MetricGroup;

/**
 * {@code sharedPages} by {@code host_id}: the pages KSM could free on the host, as last estimated
 * ({@code host} is the label Flink's reporter gives the TaskManager's host).
 */
public final class HostSharingMeters implements SinkMeters<HostSharing> {

  private static final long serialVersionUID = 1L;

  private transient LabelledGauges sharedPages;

  @Override
  public void open(MetricGroup group) {
    sharedPages = new LabelledGauges(group, "host_id", "sharedPages");
  }

  @Override
  public void written(HostSharing sharing, long nowMillis) {
    sharedPages.set(sharing.getHostId(), sharing.getMergeablePages());
  }
}
