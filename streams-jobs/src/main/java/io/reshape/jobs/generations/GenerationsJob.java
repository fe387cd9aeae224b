package io.reshape.jobs.generations;

import io.reshape.events.Actuation;
import io.reshape.events.DeadLetter;
import io.reshape.events.DirtyPages;
import io.reshape.events.GenerationDiff;
import io.reshape.events.GenerationRequest;
import io.reshape.events.WrittenSet;
import io.reshape.jobs.inventory.DecodeVmPlacements;
import io.reshape.jobs.inventory.VmPlacement;
import io.reshape.jobs.kafka.DecodeRecords;
import io.reshape.jobs.kafka.FleetRefs;
import io.reshape.jobs.kafka.JobInputs;
import io.reshape.jobs.kafka.RawRecord;
import io.reshape.jobs.kafka.TopicIO;
import io.reshape.jobs.metrics.DeadLetterMeters;
import io.reshape.schemas.serde.DeadLetters;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topics;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Page generations (MiyakoDori): per VM, the epoch of each page's last write, the images it left
 * on hosts, and what moving it to any host would cost; with written sets and dirty rates.
 *
 * <pre>
 *   dirty-pages ─▶ decode ─┐
 *   inventory ──▶ decode ──┤
 *   actuations ─▶ decode ──┼─▶ track generations ─▶ page-generations
 *   generation-requests ───┘          └──────────▶ written-sets
 *   (undecodable, invalid, late or unlisted records) ──────▶ dead-letters
 * </pre>
 */
public final class GenerationsJob {

  public static final String NAME = "generations";

  private final Source<RawRecord, ?, ?> dirtyPages;
  private final Source<RawRecord, ?, ?> inventory;
  private final Source<RawRecord, ?, ?> actuations;
  private final Source<RawRecord, ?, ?> requests;
  private final Sink<GenerationDiff> answers;
  private final Sink<WrittenSet> writtenSets;
  private final Sink<DeadLetter> deadLetters;
  private final Map<String, String> registryConfig;
  private final GenerationSettings settings;

  public GenerationsJob(Source<RawRecord, ?, ?> dirtyPages, Source<RawRecord, ?, ?> inventory, Source<RawRecord, ?, ?> actuations,
      Source<RawRecord, ?, ?> requests, Sink<GenerationDiff> answers, Sink<WrittenSet> writtenSets, Sink<DeadLetter> deadLetters,
      Map<String, String> registryConfig, GenerationSettings settings) {
    this.dirtyPages = dirtyPages;
    this.inventory = inventory;
    this.actuations = actuations;
    this.requests = requests;
    this.answers = answers;
    this.writtenSets = writtenSets;
    this.deadLetters = deadLetters;
    this.registryConfig = registryConfig;
    this.settings = settings;
  }

  /** The job on the catalogue's Kafka topics. */
  public static GenerationsJob onKafka(KafkaConnection connection, GenerationSettings settings) {
    TopicIO io = new TopicIO(connection, NAME);
    return new GenerationsJob(
        io.source(Topics.DIRTY_PAGES),
        io.source(Topics.INVENTORY),
        io.source(Topics.ACTUATIONS),
        io.source(Topics.GENERATION_REQUESTS),
        io.sink(Topics.PAGE_GENERATIONS, GenerationDiff::getVmId),
        io.sink(Topics.WRITTEN_SETS, WrittenSet::getVmId),
        io.sink(Topics.DEAD_LETTERS, DeadLetters::key, new DeadLetterMeters()),
        connection.registryProperties(),
        settings);
  }

  /** What the job publishes, for the planner beside it. */
  public record Outputs(DataStream<GenerationDiff> answers, DataStream<WrittenSet> writtenSets) {}

  public Outputs addTo(StreamExecutionEnvironment env) {
    JobInputs inputs = new JobInputs(env, NAME, registryConfig, settings.eventTime());
    TypeInformation<MemoryEvent> events = TypeInformation.of(MemoryEvent.class);

    SingleOutputStreamOperator<DirtyPages> written = inputs.collected("dirty-pages", dirtyPages, DirtyPages.class,
        new DirtyPagesCheck(), new FleetRefs<>(DirtyPages::getVmId, DirtyPages::getHostId), inputs.fleet(inventory));
    SingleOutputStreamOperator<VmPlacement> placements =
        inputs.inventory(inventory, new DecodeVmPlacements(registryConfig, inputs.decodeStage(JobInputs.INVENTORY)));
    SingleOutputStreamOperator<Actuation> outcomes = inputs.feedback("actuations", actuations, Actuation.class);
    SingleOutputStreamOperator<GenerationRequest> asked = inputs.feedback("generation-requests", requests, GenerationRequest.class);

    DataStream<MemoryEvent> memory = written.map(MemoryEvent::written).returns(events)
        .name("dirty-pages-as-events").uid("generations/dirty-pages-as-events")
        .union(
            placements.process(new PlacementEvents()).returns(events)
                .name("placements-as-events").uid("generations/placements-as-events"),
            outcomes.flatMap(new MigrationEvents()).name("migrations-as-events").uid("generations/migrations-as-events"),
            asked.map(MemoryEvent::asked).returns(events).name("requests-as-events").uid("generations/requests-as-events"));

    SingleOutputStreamOperator<GenerationDiff> answered = memory
        .keyBy(e -> e.vmId)
        .process(new TrackGenerations(settings)).name("track-generations").uid("generations/track-generations");
    answered.sinkTo(answers).name("page-generations-sink").uid("generations/page-generations-sink");
    DataStream<WrittenSet> sets = answered.getSideOutput(TrackGenerations.WRITTEN_SETS);
    sets.sinkTo(writtenSets).name("written-sets-sink").uid("generations/written-sets-sink");

    DataStream<DeadLetter> rejected = written.getSideOutput(DecodeRecords.DEAD_LETTERS)
        .union(placements.getSideOutput(DecodeRecords.DEAD_LETTERS), outcomes.getSideOutput(DecodeRecords.DEAD_LETTERS),
            asked.getSideOutput(DecodeRecords.DEAD_LETTERS));
    rejected.sinkTo(deadLetters).name("dead-letters-sink").uid("generations/dead-letters-sink");
    return new Outputs(answered, sets);
  }
}
