package io.reshape.collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the collector's sources read: {@code reshape.collector.samples} and {@code
 * reshape.collector.errors} by source, and the gauge {@code reshape.collector.vms}. The spool's
 * meters are the publisher's.
 */
final class CollectorMeters {

  private final MeterRegistry registry;
  private final AtomicInteger vms;

  CollectorMeters(MeterRegistry registry) {
    this.registry = registry;
    this.vms = new AtomicInteger();
    Gauge.builder("reshape.collector.vms", vms, AtomicInteger::get).description("QEMU guests found on this host.").register(registry);
  }

  void samples(String source, int count) {
    Counter.builder("reshape.collector.samples").description("Samples read, by source.").tag("source", source)
        .register(registry).increment(count);
  }

  void error(String source) {
    Counter.builder("reshape.collector.errors").description("Readings that failed and were skipped, by source.")
        .tag("source", source).register(registry).increment();
  }

  void vms(int count) {
    vms.set(count);
  }
}
