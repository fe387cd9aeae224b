package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.collectors.sim.Workload;
import io.reshape.events.Actuation;
import io.reshape.events.Decision;
import io.reshape.events.DirtyPages;
import io.reshape.events.Footprint;
import io.reshape.events.Outcome;
import io.reshape.events.QuantumSample;
import io.reshape.local.CommittedRecords.Keyed;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole pipeline on three brokers (child JVMs; topics with three replicas, two in sync to
 * write). Under load the broker that leads most partitions of the busiest topics is killed
 * (SIGKILL) and later started again. The collectors lose nothing and write nothing twice, the
 * analytics and the planner go on, and no decision is applied twice.
 */
@Timeout(600)
class BrokerFailoverIT {

  private static final List<Topic<?>> BUSIEST = List.of(Topics.QUANTA, Topics.DIRTY_PAGES, Topics.PAGE_FINGERPRINTS);
  private static final List<Topic<?>> COLLECTED =
      List.of(Topics.QUANTA, Topics.DIRTY_PAGES, Topics.TRAFFIC, Topics.PAGE_FINGERPRINTS, Topics.INVENTORY);
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  @Test
  void killingTheLeaderOfTheBusiestPartitionsLosesNothingAndAppliesNothingTwice() throws Exception {
    RunConfig config = new RunConfig(Duration.ofMinutes(10), 2, 3,
        Map.of(Workload.IDLE, 0.4, Workload.STEADY, 0.3, Workload.BURSTY, 0.3), Duration.ofSeconds(1), 1.0, Duration.ofMinutes(10),
        17, 0, Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(6), Duration.ofSeconds(20), Duration.ofSeconds(2), 2, 1,
        Duration.ofSeconds(1), 3, null, true, 0);
    try (LocalRun run = LocalRun.start(config, true)) {
      awaitDecisions(run, 1, Duration.ofSeconds(120));

      EmbeddedKafka.Node leader = leaderOfTheBusiest(run);
      long committedBefore = run.publisher().orElseThrow().committed();
      Instant killedAt = Instant.now();
      leader.kill();
      Thread.sleep(OUTAGE.toMillis());
      long committedDuring = run.publisher().orElseThrow().committed() - committedBefore;
      leader.restart();
      Instant restartedAt = Instant.now();
      System.out.printf("Killed broker %d at %s; the collectors committed %,d samples in the %d s without it; it was back at %s%n",
          leader.id(), killedAt, committedDuring, OUTAGE.toSeconds(), restartedAt);
      assertThat(committedDuring).as("samples committed with a broker down").isPositive();

      // The analytics and the planner go on: results of what happened after the restart.
      awaitAfter(run, Topics.FOOTPRINTS, Footprint::getComputedAt, restartedAt);
      long footprintsAfter = Duration.between(restartedAt, Instant.now()).toSeconds();
      awaitAfter(run, Topics.DECISIONS, Decision::getCreatedAt, restartedAt);
      System.out.printf("Footprints of the time after the restart %d s after it, decisions %d s after it%n", footprintsAfter,
          Duration.between(restartedAt, Instant.now()).toSeconds());
      run.stopFleet();
      assertThat(run.pipeline().failure()).isNull();

      var publisher = run.publisher().orElseThrow();
      assertThat(publisher.lost()).isZero();
      assertThat(publisher.pending()).isZero();
      long onTopics = COLLECTED.stream().mapToLong(t -> CommittedRecords.readAll(run.stack().connection(), t).size()).sum();
      assertThat(onTopics).as("samples on the topics, against those the collectors committed").isEqualTo(publisher.committed());
      List<QuantumSample> quanta = values(CommittedRecords.readAll(run.stack().connection(), Topics.QUANTA));
      assertThat(quanta).extracting(q -> q.getVmId() + "/" + q.getVcpu() + "@" + q.getIntervalEnd()).doesNotHaveDuplicates();
      List<DirtyPages> dirty = values(CommittedRecords.readAll(run.stack().connection(), Topics.DIRTY_PAGES));
      assertThat(dirty).extracting(d -> d.getVmId() + "@" + d.getIntervalEnd()).doesNotHaveDuplicates();

      List<Actuation> actuations = values(CommittedRecords.readAll(run.stack().connection(), Topics.ACTUATIONS));
      // A command per host a decision involves (a migration: the source and the destination), each applied once.
      Map<String, Long> applied = actuations.stream().filter(a -> a.getOutcome() == Outcome.DRY_RUN)
          .collect(Collectors.groupingBy(a -> a.getDecisionId() + " " + a.getAction() + " on " + a.getHostId() + " (" + a.getCommandId()
              + ")", Collectors.counting()));
      assertThat(applied).isNotEmpty();
      assertThat(applied).allSatisfy((command, times) -> assertThat(times).as(command + " applied").isOne());
      System.out.printf("%,d samples committed, %,d on the topics, %,d quanta, %,d dirty-page records; %,d commands applied once each%n",
          publisher.committed(), onTopics, quanta.size(), dirty.size(), applied.size());
    }
  }

  /** The broker that leads most partitions of the busiest topics. */
  private static EmbeddedKafka.Node leaderOfTheBusiest(LocalRun run) throws Exception {
    try (Admin admin = Admin.create(run.stack().connection().clientConfig())) {
      Map<String, TopicDescription> topics = admin.describeTopics(BUSIEST.stream().map(Topic::name).toList()).allTopicNames().get();
      Map<Integer, Long> led = topics.values().stream().flatMap(t -> t.partitions().stream())
          .map(TopicPartitionInfo::leader).collect(Collectors.groupingBy(n -> n.id(), Collectors.counting()));
      int busiest = led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      System.out.println("Partitions of " + BUSIEST.stream().map(Topic::name).toList() + " led by broker: " + led);
      return run.stack().kafka().node(busiest);
    }
  }

  private static void awaitDecisions(LocalRun run, int count, Duration wait) throws Exception {
    Instant deadline = Instant.now().plus(wait);
    while (run.monitor().snapshot().decisions().size() < count) {
      assertThat(Instant.now()).as("decisions within " + wait).isBefore(deadline);
      assertThat(run.pipeline().failure()).isNull();
      Thread.sleep(500);
    }
  }

  private static <V extends org.apache.avro.specific.SpecificRecord> void awaitAfter(LocalRun run, Topic<V> topic,
      Function<V, Instant> eventTime, Instant after) {
    CommittedRecords.await(run.stack().connection(), topic, Duration.ofSeconds(120),
        read -> read.stream().anyMatch(r -> r.value() != null && eventTime.apply(r.value()).isAfter(after)));
  }

  private static <V> List<V> values(List<Keyed<V>> read) {
    return read.stream().map(Keyed::value).toList();
  }
}
