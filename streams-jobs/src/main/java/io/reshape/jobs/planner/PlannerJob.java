package io.reshape.jobs.planner;

import io.reshape.events.Actuation;
import io.reshape.events.Affinity;
import io.reshape.events.DeadLetter;
import io.reshape.events.Decision;
import io.reshape.events.Footprint;
import io.reshape.events.GenerationDiff;
import io.reshape.events.GenerationRequest;
import io.reshape.events.HostSharing;
import io.reshape.events.IdlenessPrediction;
import io.reshape.events.Plan;
import io.reshape.events.SharingEstimate;
import io.reshape.events.WrittenSet;
import io.reshape.jobs.kafka.DecodeRecords;
import io.reshape.jobs.kafka.JobInputs;
import io.reshape.jobs.kafka.RawRecord;
import io.reshape.jobs.kafka.RecordCheck;
import io.reshape.jobs.kafka.TopicIO;
import io.reshape.jobs.metrics.DeadLetterMeters;
import io.reshape.jobs.metrics.DecisionMeters;
import io.reshape.jobs.metrics.PlanMeters;
import io.reshape.planner.PlannerInput;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Micros;
import io.reshape.schemas.RecordKeys;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.DeadLetters;
import java.io.Serializable;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The planner, keyed by cell:
 *
 * <pre>
 *   inventory ─▶ decode ──────────────┬───────────────▶ route to cells ─▶ plan cells ─▶ decisions
 *   footprints, affinities, idleness, │   (broadcast: hosts' cells,      │            ├▶ plans
 *   written sets, page generations,   │    VMs' hosts)                   │            └▶ generation-requests
 *   sharing, host sharing ────────────┤                                  │
 *   actuations (feedback) ─▶ decode ──┘                                  │
 * </pre>
 *
 * Beside the analytics (one Flink job) it takes their streams directly; alone, it reads their
 * topics. Its outputs go out as soon as they are made, not with a checkpoint: a decision repeated
 * after a restart has the same id, and the coordinator acts on an id once.
 */
public final class PlannerJob {

  public static final String NAME = "planner";

  /** The analytics the planner reads, as streams. */
  public record Analytics(DataStream<Footprint> footprints, DataStream<Affinity> affinities, DataStream<IdlenessPrediction> idleness,
      DataStream<GenerationDiff> answers, DataStream<WrittenSet> writtenSets, DataStream<SharingEstimate> sharing,
      DataStream<HostSharing> hostSharing) {}

  private final Source<RawRecord, ?, ?> inventory;
  private final Source<RawRecord, ?, ?> actuations;
  private final Sink<Decision> decisions;
  private final Sink<Plan> plans;
  private final Sink<GenerationRequest> requests;
  private final Sink<DeadLetter> deadLetters;
  private final Map<String, String> registryConfig;
  private final PlannerJobSettings settings;

  public PlannerJob(Source<RawRecord, ?, ?> inventory, Source<RawRecord, ?, ?> actuations, Sink<Decision> decisions,
      Sink<Plan> plans, Sink<GenerationRequest> requests, Sink<DeadLetter> deadLetters, Map<String, String> registryConfig,
      PlannerJobSettings settings) {
    this.inventory = inventory;
    this.actuations = actuations;
    this.decisions = decisions;
    this.plans = plans;
    this.requests = requests;
    this.deadLetters = deadLetters;
    this.registryConfig = registryConfig;
    this.settings = settings;
  }

  /** The job on the catalogue's Kafka topics. */
  public static PlannerJob onKafka(KafkaConnection connection, PlannerJobSettings settings) {
    TopicIO io = new TopicIO(connection, NAME);
    return new PlannerJob(
        io.source(Topics.INVENTORY),
        io.source(Topics.ACTUATIONS),
        io.sinkAsMade(Topics.DECISIONS, RecordKeys::of, new DecisionMeters()),
        io.sinkAsMade(Topics.PLANS, Plan::getCellId, new PlanMeters()),
        io.sinkAsMade(Topics.GENERATION_REQUESTS, GenerationRequest::getVmId),
        io.sink(Topics.DEAD_LETTERS, DeadLetters::key, new DeadLetterMeters()),
        connection.registryProperties(),
        settings);
  }

  /** The analytics' topics, for a planner that runs alone. */
  public static Analytics analyticsOnKafka(StreamExecutionEnvironment env, KafkaConnection connection, PlannerJobSettings settings) {
    TopicIO io = new TopicIO(connection, NAME);
    JobInputs inputs = new JobInputs(env, NAME, connection.registryProperties(), settings.eventTime());
    return new Analytics(
        inputs.decoded("footprints", io.source(Topics.FOOTPRINTS), Footprint.class, RecordCheck.none()),
        inputs.decoded("affinities", io.source(Topics.AFFINITIES), Affinity.class, RecordCheck.none()),
        inputs.decoded("idleness", io.source(Topics.IDLENESS), IdlenessPrediction.class, RecordCheck.none()),
        inputs.decoded("page-generations", io.source(Topics.PAGE_GENERATIONS), GenerationDiff.class, RecordCheck.none()),
        inputs.decoded("written-sets", io.source(Topics.WRITTEN_SETS), WrittenSet.class, RecordCheck.none()),
        inputs.decoded("sharing", io.source(Topics.SHARING), SharingEstimate.class, RecordCheck.none()),
        inputs.decoded("host-sharing", io.source(Topics.HOST_SHARING), HostSharing.class, RecordCheck.none()));
  }

  public void addTo(StreamExecutionEnvironment env, Analytics analytics) {
    JobInputs inputs = new JobInputs(env, NAME, registryConfig, settings.eventTime());
    SingleOutputStreamOperator<PlannerInput> hostsAndVms =
        inputs.inventory(inventory, new DecodePlannerInventory(registryConfig, inputs.decodeStage(JobInputs.INVENTORY)));
    SingleOutputStreamOperator<Actuation> outcomes = inputs.feedback("actuations", actuations, Actuation.class);

    DataStream<PlannerInput> all = hostsAndVms.union(
        as("footprints", analytics.footprints(), PlannerInput::of),
        as("affinities", analytics.affinities(), PlannerInput::of),
        as("idleness", analytics.idleness(), PlannerInput::of),
        as("page-generations", analytics.answers(), PlannerInput::of),
        as("written-sets", analytics.writtenSets(), PlannerInput::of),
        as("sharing", analytics.sharing(), PlannerInput::of),
        as("host-sharing", analytics.hostSharing(), PlannerInput::of),
        as("actuations", outcomes, PlannerInput::of));

    SingleOutputStreamOperator<Decision> planned = all
        .connect(hostsAndVms.broadcast(RouteToCells.PLACES))
        .process(new RouteToCells()).name("route-to-cells").uid("planner/route-to-cells")
        .keyBy(input -> input.cellId)
        .process(new PlanCells(settings.planner())).name("plan-cells").uid("planner/plan-cells");

    stamped("decisions", planned, d -> Micros.of(d.getCreatedAt()))
        .sinkTo(decisions).name("decisions-sink").uid("planner/decisions-sink");
    stamped("plans", planned.getSideOutput(PlanCells.PLANS), p -> Micros.of(p.getPlannedAt()))
        .sinkTo(plans).name("plans-sink").uid("planner/plans-sink");
    stamped("generation-requests", planned.getSideOutput(PlanCells.REQUESTS), r -> Micros.of(r.getRequestedAt()))
        .sinkTo(requests).name("generation-requests-sink").uid("planner/generation-requests-sink");

    hostsAndVms.getSideOutput(DecodeRecords.DEAD_LETTERS).union(outcomes.getSideOutput(DecodeRecords.DEAD_LETTERS))
        .sinkTo(deadLetters).name("dead-letters-sink").uid("planner/dead-letters-sink");
  }

  private static <T> DataStream<PlannerInput> as(String what, DataStream<T> stream, MapFunction<T, PlannerInput> input) {
    return stream.map(input).returns(TypeInformation.of(PlannerInput.class))
        .name(what + "-as-inputs").uid("planner/" + what + "-as-inputs");
  }

  /** The event time of what a cycle made, on its Kafka record, whichever input let the cycle run. */
  private static <T> DataStream<T> stamped(String what, DataStream<T> stream, EventMicros<T> micros) {
    return stream.assignTimestampsAndWatermarks(WatermarkStrategy.<T>noWatermarks()
            .withTimestampAssigner((value, previous) -> micros.of(value) / 1000))
        .name("stamp-" + what).uid("planner/stamp-" + what);
  }

  /** Where a planner output keeps its event time. */
  @FunctionalInterface
  private interface EventMicros<T> extends Serializable {
    long of(T value);
  }
}
