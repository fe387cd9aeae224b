package io.reshape.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.Action;
import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import io.reshape.events.Decision;
import io.reshape.events.HostSharing;
import io.reshape.events.Plan;
import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** What the jobs' sinks measure of the values they write, read back from the metric groups Flink gives them. */
class SinkMetersTest {

  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  private final MetricListener metrics = new MetricListener();

  @Test
  void deadLettersAreCountedByCause() throws Exception {
    MeteredSerializer<DeadLetter> sink = opened(new DeadLetterMeters());
    sink.serialize(letter(DeadLetterCause.MALFORMED_FRAME), null, null);
    sink.serialize(letter(DeadLetterCause.MALFORMED_FRAME), null, null);
    sink.serialize(letter(DeadLetterCause.UNKNOWN_ENTITY), null, null);

    assertThat(counter("cause", "MALFORMED_FRAME", "deadLetters").getCount()).isEqualTo(2);
    assertThat(counter("cause", "UNKNOWN_ENTITY", "deadLetters").getCount()).isEqualTo(1);
  }

  @Test
  void decisionsAreCountedByActionWithHowLongAfterTheirSamplesTheyLeft() {
    DecisionMeters meters = new DecisionMeters();
    meters.open(metrics.getMetricGroup());
    meters.written(decision(Action.PAGE_OUT, T), T.plusMillis(1500).toEpochMilli());
    meters.written(decision(Action.PAGE_OUT, T), T.plusMillis(500).toEpochMilli());
    meters.written(decision(Action.MIGRATE, T), T.plusMillis(1000).toEpochMilli());

    assertThat(counter("action", "PAGE_OUT", "decisions").getCount()).isEqualTo(2);
    assertThat(counter("action", "MIGRATE", "decisions").getCount()).isEqualTo(1);
    Histogram latency = metrics.getHistogram("sampleToDecisionMillis").orElseThrow();
    assertThat(latency.getCount()).isEqualTo(3);
    assertThat(latency.getStatistics().getMin()).isEqualTo(500);
    assertThat(latency.getStatistics().getMax()).isEqualTo(1500);
    assertThat(latency.getStatistics().getMean()).isEqualTo(1000.0);
  }

  @Test
  void hostsFreedAreEachCellsLatestPlans() {
    PlanMeters meters = new PlanMeters();
    meters.open(metrics.getMetricGroup());
    meters.written(plan("cell-a", 10, 7), 0);
    meters.written(plan("cell-b", 4, 4), 0);
    meters.written(plan("cell-a", 10, 6), 0);

    assertThat(metrics.<Long>getGauge("cell", "cell-a", "hostsFreed").orElseThrow().getValue()).isEqualTo(4L);
    assertThat(metrics.<Long>getGauge("cell", "cell-b", "hostsFreed").orElseThrow().getValue()).isZero();
  }

  @Test
  void sharedPagesAreEachHostsLatestEstimate() {
    HostSharingMeters meters = new HostSharingMeters();
    meters.open(metrics.getMetricGroup());
    meters.written(sharing("host-1", 1200), 0);
    meters.written(sharing("host-1", 900), 0);
    meters.written(sharing("host-2", 40), 0);

    assertThat(metrics.<Long>getGauge("host_id", "host-1", "sharedPages").orElseThrow().getValue()).isEqualTo(900L);
    assertThat(metrics.<Long>getGauge("host_id", "host-2", "sharedPages").orElseThrow().getValue()).isEqualTo(40L);
  }

  private Counter counter(String... identifier) {
    return metrics.getCounter(identifier).orElseThrow(() -> new AssertionError("no counter " + String.join(".", identifier)));
  }

  /** A sink's serializer, opened as the Kafka sink opens it, in front of one that writes nothing. */
  private <V> MeteredSerializer<V> opened(SinkMeters<V> meters) throws Exception {
    MeteredSerializer<V> serializer = new MeteredSerializer<>((value, context, timestamp) -> new ProducerRecord<>("t", new byte[0]),
        meters);
    serializer.open(new SerializationSchema.InitializationContext() {
      @Override
      public MetricGroup getMetricGroup() {
        return metrics.getMetricGroup();
      }

      @Override
      public UserCodeClassLoader getUserCodeClassLoader() {
        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
      }
    }, null);
    return serializer;
  }

  private static DeadLetter letter(DeadLetterCause cause) {
    DeadLetter letter = new DeadLetter();
    letter.setCause(cause);
    return letter;
  }

  private static Decision decision(Action action, Instant createdAt) {
    Decision decision = new Decision();
    decision.setAction(action);
    decision.setCreatedAt(createdAt);
    return decision;
  }

  private static Plan plan(String cell, int hosts, int active) {
    Plan plan = new Plan();
    plan.setCellId(cell);
    plan.setHosts(hosts);
    plan.setActiveHosts(active);
    return plan;
  }

  private static HostSharing sharing(String host, long pages) {
    HostSharing sharing = new HostSharing();
    sharing.setHostId(host);
    sharing.setMergeablePages(pages);
    return sharing;
  }
}
