package io.reshape.jobs.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counters of one name, one for each value of a label: each in a key-value group, which Flink's
 * Prometheus reporter turns into a label ({@code cause="MALFORMED_FRAME"}). Used from one thread.
 */
public final class LabelledCounters {

  private final MetricGroup group;
  private final String label;
  private final String name;
  private final Map<String, Counter> counters = new HashMap<>();

  public LabelledCounters(MetricGroup group, String label, String name) {
    this.group = group;
    this.label = label;
    this.name = name;
  }

  public void inc(String value) {
    counters.computeIfAbsent(value, v -> group.addGroup(label, v).counter(name)).inc();
  }
}
