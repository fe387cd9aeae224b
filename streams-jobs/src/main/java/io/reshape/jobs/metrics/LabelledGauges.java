package io.reshape.jobs.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Gauges of one name, one for each value of a label, each showing the last value set for it. Set
 * from the task's thread, read from the reporter's.
 */
public final class LabelledGauges {

  private final MetricGroup group;
  private final String label;
  private final String name;
  private final Map<String, Long> values = new ConcurrentHashMap<>();

  public LabelledGauges(MetricGroup group, String label, String name) {
    this.group = group;
    this.label = label;
    this.name = name;
  }

  public void set(String value, long to) {
    if (values.put(value, to) == null) {
      group.addGroup(label, value).gauge(name, (Gauge<Long>) () -> values.get(value));
    }
  }
}
