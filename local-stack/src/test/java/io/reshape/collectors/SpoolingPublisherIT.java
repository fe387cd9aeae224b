package io.reshape.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reshape.collectors.spool.Spool;
import io.reshape.collectors.spool.SpoolingPublisher;
import io.reshape.events.TrafficSample;
import io.reshape.local.CommittedRecords;
import io.reshape.local.LocalStack;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a collector read is lost and nothing arrives twice: the broker goes away mid-run, the
 * collector restarts while it is away, the broker comes back; every sample is counted on the topic.
 * Cut off past its spool's bound, a collector drops the oldest samples and counts exactly those.
 */
@Timeout(300)
class SpoolingPublisherIT {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration DRAIN = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  /** Sample {@code n}: its byte count is its identity. */
  private static Sample<TrafficSample> sample(int n) {
    Instant end = T0.plusSeconds(n);
    return new Sample<>(Topics.TRAFFIC, "vm-it", TrafficSample.newBuilder().setHostId("host-it").setSrcVmId("vm-it")
        .setDstEndpoint("203.0.113.9:443").setIntervalStart(end.minusSeconds(1)).setIntervalEnd(end)
        .setBytes(n).setPackets(1).build(), end);
  }

  private static void publish(SpoolingPublisher publisher, int from, int to) {
    for (int n = from; n <= to; n += 50) {
      List<Sample<?>> batch = new ArrayList<>();
      IntStream.rangeClosed(n, Math.min(to, n + 49)).forEach(i -> batch.add(sample(i)));
      publisher.publish(batch);
    }
  }

  @Test
  void everySampleArrivesExactlyOnceThroughABrokerOutageAndACollectorRestart() throws Exception {
    try (LocalStack stack = LocalStack.start(null)) {
      KafkaConnection connection = stack.connection();
      Path spoolDir = dir.resolve("spool");
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      SpoolingPublisher publisher = new SpoolingPublisher(connection, "it-host", Spool.open(spoolDir, 64L << 20, 64 << 10), meters);
      publish(publisher, 1, 300);
      assertThat(publisher.drain(DRAIN)).isTrue();
      assertThat(meters.get("reshape.collector.events").tag("topic", Topics.TRAFFIC.name()).counter().count()).isEqualTo(300);
      assertThat(meters.get("reshape.collector.bytes").tag("topic", Topics.TRAFFIC.name()).counter().count())
          .as("each encoded sample is some tens of bytes").isBetween(300 * 20.0, 300 * 200.0);
      assertThat(meters.get("reshape.collector.committed").counter().count()).isEqualTo(300);
      assertThat(meters.get("reshape.collector.spool.records").gauge().value()).isZero();
      assertThat(publisher.unhealthy()).isEmpty();

      stack.kafka().stop();
      publish(publisher, 301, 600);
      assertThat(publisher.pending()).as("samples read while the broker is away wait in the spool").isGreaterThanOrEqualTo(300);

      // The collector restarts while the broker is still away.
      publisher.close();
      publisher = new SpoolingPublisher(connection, "it-host", Spool.open(spoolDir, 64L << 20, 64 << 10), new SimpleMeterRegistry());
      publish(publisher, 601, 800);

      stack.kafka().restart();
      assertThat(publisher.drain(DRAIN)).as("the spool empties once the broker is back").isTrue();
      publish(publisher, 801, 900);
      assertThat(publisher.drain(DRAIN)).isTrue();
      assertThat(publisher.lost()).isZero();
      publisher.close();

      Map<Long, Integer> arrivals = arrivals(connection);
      assertThat(arrivals).as("every sample, by identity").hasSize(900);
      assertThat(arrivals.keySet()).containsExactlyElementsOf(IntStream.rangeClosed(1, 900).mapToObj(Long::valueOf).toList());
      assertThat(arrivals.values()).as("each exactly once").containsOnly(1);
    }
  }

  @Test
  void aCollectorCutOffPastItsSpoolBoundCountsExactlyWhatItDroppedAndResumes() throws Exception {
    try (LocalStack stack = LocalStack.start(null)) {
      KafkaConnection connection = stack.connection();
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      SpoolingPublisher publisher = new SpoolingPublisher(connection, "it-host", Spool.open(dir.resolve("spool"), 256 << 10, 32 << 10), meters);
      publish(publisher, 1, 300);
      assertThat(publisher.drain(DRAIN)).isTrue();

      stack.kafka().stop();
      publish(publisher, 301, 8300);
      long lostWhileCutOff = publisher.lost();
      assertThat(lostWhileCutOff).as("8,000 samples do not fit a 256 KiB spool: the oldest segments went").isPositive();
      assertThat(meters.get("reshape.collector.lost").functionCounter().count()).isEqualTo(lostWhileCutOff);
      assertThat(meters.get("reshape.collector.spool.bytes").gauge().value()).as("within its bound, give or take a segment").isBetween(1.0, (256 + 32) * 1024.0);

      stack.kafka().restart();
      assertThat(publisher.drain(DRAIN)).as("what the spool kept is shipped once the broker is back").isTrue();
      publish(publisher, 8301, 8400);
      assertThat(publisher.drain(DRAIN)).as("and it goes on after").isTrue();
      // A transaction under way when the broker went may have committed: the count is then put right.
      long lost = publisher.lost();
      assertThat(lost).as("nothing more lost once Kafka is back").isLessThanOrEqualTo(lostWhileCutOff);
      publisher.close();

      Map<Long, Integer> arrivals = arrivals(connection);
      List<Long> missing = IntStream.rangeClosed(1, 8400).mapToObj(Long::valueOf).filter(n -> !arrivals.containsKey(n)).toList();
      System.out.println("SPOOL bound 256 KiB: " + lost + " samples dropped of 8,000 read while cut off (" + lostWhileCutOff
          + " counted before the broker came back); missing on the topic " + missing.get(0) + " to " + missing.get(missing.size() - 1));
      assertThat(missing).as("exactly the samples counted as dropped are missing").hasSize((int) lost);
      assertThat(missing.get(missing.size() - 1) - missing.get(0) + 1).as("the oldest unsent ones, in one run").isEqualTo(lost);
      assertThat(missing.get(0)).as("none shipped before the cut").isGreaterThan(300L);
      assertThat(arrivals.values()).as("each arrival exactly once").containsOnly(1);
      assertThat(arrivals.keySet()).as("everything after the oldest segments, and after the broker came back")
          .containsAll(IntStream.rangeClosed((int) (missing.get(missing.size() - 1) + 1), 8400).mapToObj(Long::valueOf).toList());
    }
  }

  /** How often each sample's identity is on the topic, as a downstream reader sees it. */
  private static Map<Long, Integer> arrivals(KafkaConnection connection) {
    Map<Long, Integer> counts = new TreeMap<>();
    CommittedRecords.readAll(connection, Topics.TRAFFIC).forEach(r -> counts.merge(r.value().getBytes(), 1, Integer::sum));
    return counts;
  }
}
