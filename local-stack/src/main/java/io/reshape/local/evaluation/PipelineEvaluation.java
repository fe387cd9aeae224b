package io.reshape.local.evaluation;

import io.reshape.actuator.Actuations;
import io.reshape.actuator.SettableClock;
import io.reshape.actuator.coordinator.CoordinatorSettings;
import io.reshape.actuator.executor.SimDriver;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.Decision;
import io.reshape.events.HostInventory;
import io.reshape.events.InventoryRecord;
import io.reshape.events.Plan;
import io.reshape.events.VmInventory;
import io.reshape.jobs.analytics.AnalyticsSettings;
import io.reshape.local.LocalStack;
import io.reshape.local.Pipeline;
import io.reshape.local.PipelineSettings;
import io.reshape.planner.PlannerSettings;
import io.reshape.planner.sim.PlanetLabDay;
import io.reshape.planner.sim.PlanetLabFleet;
import io.reshape.planner.sim.Scoreboard;
import io.reshape.planner.sim.SimActions;
import io.reshape.planner.sim.SimDatacenter;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Outcomes;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A PlanetLab day through the real pipeline: the simulated datacenter publishes each step's
 * quanta and inventory to Kafka, the analytics and the planner run in Flink, the coordinator and
 * an executor with the sim driver in Kafka Streams. Time advances in lock-step: a step runs only
 * once the planner has published its plan for it and every decision of the plan has its outcome,
 * so the result does not depend on how fast this machine is. It gives the decisions the offline
 * evaluation gives.
 */
public final class PipelineEvaluation {

  /** Told after each step. */
  public interface Progress {
    void step(int step, Scoreboard.Score soFar, long decisions, Duration roundTrip);
  }

  /**
   * A day's result.
   *
   * @param roundTrips wall time from a step's reports being published to its plan's last outcome, per planned step
   */
  public record Run(Scoreboard.Score score, List<Decision> decisions, List<Duration> roundTrips) {}

  private static final Duration STEP_WAIT = Duration.ofMinutes(2);

  private final LocalStack stack;
  private final AnalyticsSettings settings;
  private final Path workDir;

  public PipelineEvaluation(LocalStack stack, PlannerSettings planner, Path workDir) {
    this.stack = stack;
    this.settings = AnalyticsSettings.forPlanetLab(planner);
    this.workDir = workDir;
  }

  /** Runs the first {@code steps} steps of {@code day} on {@code hosts} hosts, its event time starting at {@code start}. */
  public Run run(PlanetLabDay day, int hosts, Instant start, int steps, Progress progress) throws Exception {
    KafkaConnection kafka = stack.connection();
    SimDatacenter dc = SimDatacenter.start(day, hosts);
    PlanetLabFleet fleet = new PlanetLabFleet(dc, start);
    SettableClock clock = new SettableClock(start);
    PipelineSettings pipelineSettings = new PipelineSettings(1, Duration.ofSeconds(5), false, settings, CoordinatorSettings.defaults());
    try (Publisher publisher = new Publisher(kafka);
         TopicReader<Plan> plans = new TopicReader<>(kafka, Topics.PLANS);
         TopicReader<Decision> decided = new TopicReader<>(kafka, Topics.DECISIONS);
         TopicReader<Actuation> outcomes = new TopicReader<>(kafka, Topics.ACTUATIONS);
         Pipeline pipeline = Pipeline.start(kafka, pipelineSettings, workDir,
             new SimDriver(new SimActions(fleet), publisher::inventory), clock)) {
      Scoreboard board = new Scoreboard();
      Feedback feedback = new Feedback(plans, decided, outcomes);
      List<Duration> roundTrips = new ArrayList<>();
      for (int step = 0; step < steps; step++) {
        Instant plannedAt = fleet.stepStart(step).plus(PlanetLabFleet.PLANNED_AT);
        clock.set(plannedAt);
        Instant published = Instant.now();
        for (int vm = 0; vm < day.vmCount(); vm++) {
          publisher.send(Topics.QUANTA, fleet.vmId(vm), fleet.sample(vm, step), fleet.stepStart(step + 1));
        }
        fleet.inventoryScan(step).forEach(publisher::inventory);
        publisher.flush();
        // The planner's first cycle is the first after the first reports: at the second step.
        if (step > 0) {
          feedback.awaitCycle(plannedAt, pipeline);
          roundTrips.add(Duration.between(published, Instant.now()));
        }
        publisher.flush();
        dc.runStep(board);
        progress.step(step, board.score(), feedback.decisions().size(), roundTrips.isEmpty() ? Duration.ZERO
            : roundTrips.get(roundTrips.size() - 1));
      }
      return new Run(board.score(), feedback.decisions(), roundTrips);
    }
  }

  /** The simulated collectors' producer. */
  private static final class Publisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final RegistryAvroSerializer<SpecificRecord> serializer = new RegistryAvroSerializer<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    Publisher(KafkaConnection kafka) {
      var config = kafka.clientConfig();
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
      serializer.configure(kafka.registryProperties(), false);
    }

    void send(Topic<?> topic, String key, SpecificRecord value, Instant eventTime) {
      producer.send(new ProducerRecord<>(topic.name(), null, eventTime.toEpochMilli(), key, serializer.serialize(topic.name(), value)),
          (metadata, e) -> {
            if (e != null) {
              failure.compareAndSet(null, new IllegalStateException("Could not publish to " + topic.name() + ": " + e.getMessage(), e));
            }
          });
    }

    void inventory(InventoryRecord record) {
      String key = record.getEntity() instanceof VmInventory vm ? InventoryKeys.vm(vm.getVmId())
          : InventoryKeys.host(((HostInventory) record.getEntity()).getHostId());
      send(Topics.INVENTORY, key, record, record.getObservedAt());
    }

    /** Sends what is buffered; fails if anything sent so far was refused, so that no step goes on without its input. */
    void flush() {
      producer.flush();
      if (failure.get() != null) {
        throw failure.get();
      }
    }

    @Override
    public void close() {
      producer.close();
    }
  }

  /** What the pipeline said back: plans, decisions and their outcomes, gathered as they come. */
  private static final class Feedback {
    private final TopicReader<Plan> plans;
    private final TopicReader<Decision> decided;
    private final TopicReader<Actuation> outcomes;
    private final Map<Instant, Plan> plansByTime = new HashMap<>();
    private final Map<String, Decision> decisions = new HashMap<>();
    private final Map<String, Set<String>> reported = new HashMap<>();

    Feedback(TopicReader<Plan> plans, TopicReader<Decision> decided, TopicReader<Actuation> outcomes) {
      this.plans = plans;
      this.decided = decided;
      this.outcomes = outcomes;
    }

    /** Waits for the plan of the cycle at {@code plannedAt} and an outcome of each of its decisions from each host involved. */
    void awaitCycle(Instant plannedAt, Pipeline pipeline) throws Exception {
      Instant deadline = Instant.now().plus(STEP_WAIT);
      while (!settled(plannedAt)) {
        if (Instant.now().isAfter(deadline)) {
          throw new TimeoutException("No plan, or not every outcome, for the cycle at " + plannedAt + " within "
              + STEP_WAIT.toSeconds() + " s; plans seen: " + plansByTime.keySet());
        }
        String failure = pipeline.failure();
        if (failure != null) {
          throw new IllegalStateException(failure);
        }
        plans.poll(Duration.ofMillis(20)).stream().filter(p -> p.getCellId().equals(PlanetLabFleet.CELL))
            .forEach(p -> plansByTime.put(p.getPlannedAt(), p));
        decided.poll(Duration.ZERO).forEach(d -> decisions.putIfAbsent(d.getDecisionId(), d));
        outcomes.poll(Duration.ZERO).stream().filter(a -> Outcomes.settled(a.getOutcome())).forEach(a -> reported.computeIfAbsent(a.getDecisionId(), id -> new HashSet<>())
            .add(a.getDriver().equals(Actuations.COORDINATOR) ? Actuations.COORDINATOR : a.getHostId()));
      }
    }

    private boolean settled(Instant plannedAt) {
      Plan plan = plansByTime.get(plannedAt);
      return plan != null && plan.getDecisionIds().stream().allMatch(this::settled);
    }

    private boolean settled(String decisionId) {
      Decision d = decisions.get(decisionId);
      Set<String> from = reported.getOrDefault(decisionId, Set.of());
      if (d == null) {
        return false;
      }
      if (from.contains(Actuations.COORDINATOR)) {
        return true;
      }
      return from.contains(d.getHostId()) && (d.getAction() != Action.MIGRATE || from.contains(d.getDestinationHostId()));
    }

    /** The decisions in the order the planner made them: cycle by cycle, as each plan lists them. */
    List<Decision> decisions() {
      return plansByTime.keySet().stream().sorted()
          .flatMap(at -> plansByTime.get(at).getDecisionIds().stream())
          .map(decisions::get).filter(Objects::nonNull).toList();
    }
  }
}
