package io.reshape.collectors;

import io.reshape.collectors.spool.SpoolingPublisher;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The collector's counters, rendered in the Prometheus text format. */
public final class CollectorMetrics {

  private final Map<String, LongAdder> samples = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final AtomicInteger vms = new AtomicInteger();
  private final SpoolingPublisher publisher;

  public CollectorMetrics(SpoolingPublisher publisher) {
    this.publisher = publisher;
  }

  public void samples(String source, int count) {
    samples.computeIfAbsent(source, s -> new LongAdder()).add(count);
  }

  public void error(String source) {
    errors.computeIfAbsent(source, s -> new LongAdder()).increment();
  }

  public void vms(int count) {
    vms.set(count);
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    family(out, "reshape_collector_samples_total", "counter", "Samples read, by source.", "source", sums(samples));
    family(out, "reshape_collector_errors_total", "counter", "Readings that failed and were skipped, by source.", "source", sums(errors));
    family(out, "reshape_collector_bytes_total", "counter", "Encoded bytes spooled, by topic.", "topic", publisher.bytesByTopic());
    gauge(out, "reshape_collector_vms", "QEMU guests found on this host.", vms.get());
    gauge(out, "reshape_collector_spool_records", "Samples waiting in the spool for Kafka.", publisher.pending());
    gauge(out, "reshape_collector_spool_bytes", "Bytes the spool holds on disk.", publisher.spoolBytes());
    family(out, "reshape_collector_committed_total", "counter", "Samples committed to Kafka.", null, Map.of("", publisher.committed()));
    family(out, "reshape_collector_lost_total", "counter", "Samples lost: dropped from a full spool or not encodable.", null,
        Map.of("", publisher.lost()));
    return out.toString();
  }

  private static Map<String, Long> sums(Map<String, LongAdder> adders) {
    Map<String, Long> sums = new TreeMap<>();
    adders.forEach((k, v) -> sums.put(k, v.sum()));
    return sums;
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ').append(value).append('\n');
  }

  private static void family(StringBuilder out, String name, String type, String help, String label, Map<String, Long> values) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    values.forEach((key, value) -> out.append(name)
        .append(label == null ? "" : String.format(Locale.ROOT, "{%s=\"%s\"}", label, key))
        .append(' ').append(value).append('\n'));
  }
}
