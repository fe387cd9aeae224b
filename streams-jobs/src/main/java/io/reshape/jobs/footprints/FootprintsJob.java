package io.reshape.jobs.footprints;

import io.reshape.events.Affinity;
import io.reshape.events.DeadLetter;
import io.reshape.events.Footprint;
import io.reshape.events.QuantumSample;
import io.reshape.events.TrafficSample;
import io.reshape.events.WrittenSet;
import io.reshape.jobs.idleness.QuantumSampleCheck;
import io.reshape.jobs.kafka.DecodeRecords;
import io.reshape.jobs.kafka.FleetRefs;
import io.reshape.jobs.kafka.JobInputs;
import io.reshape.jobs.kafka.RawRecord;
import io.reshape.jobs.kafka.TopicIO;
import io.reshape.jobs.metrics.DeadLetterMeters;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.RecordKeys;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.DeadLetters;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Computes each VM's footprint (averaged traffic to each peer, external traffic, CPU demand,
 * written-set size and dirty rate) and the affinities between VMs that talk a lot:
 *
 * <pre>
 *   traffic ──────▶ decode ─▶ resolve endpoints ─┐
 *   quanta ───────▶ decode ─▶ cpu signals ───────┼─▶ track footprints ─▶ footprints
 *   written-sets ─▶ decode ─▶ write signals ─────┘           └─────────▶ affinities
 *   inventory ────▶ decode addresses, broadcast to resolve endpoints and track footprints
 *   (undecodable, invalid, late or unlisted records) ─────────────────────────────▶ dead-letters
 * </pre>
 *
 * The inventory is broadcast: endpoints resolve to VMs by its addresses, and a VM that leaves it is
 * forgotten by every footprint. Sources and sinks are parameters, so tests run the same job on other ends.
 */
public final class FootprintsJob {

  public static final String NAME = "footprints";

  private final Source<RawRecord, ?, ?> traffic;
  private final Source<RawRecord, ?, ?> quanta;
  private final Source<RawRecord, ?, ?> writtenSets;
  private final Source<RawRecord, ?, ?> inventory;
  private final Sink<Footprint> footprints;
  private final Sink<Affinity> affinities;
  private final Sink<DeadLetter> deadLetters;
  private final Map<String, String> registryConfig;
  private final FootprintSettings settings;

  public FootprintsJob(Source<RawRecord, ?, ?> traffic, Source<RawRecord, ?, ?> quanta,
      Source<RawRecord, ?, ?> writtenSets, Source<RawRecord, ?, ?> inventory,
      Sink<Footprint> footprints, Sink<Affinity> affinities, Sink<DeadLetter> deadLetters,
      Map<String, String> registryConfig, FootprintSettings settings) {
    this.traffic = traffic;
    this.quanta = quanta;
    this.writtenSets = writtenSets;
    this.inventory = inventory;
    this.footprints = footprints;
    this.affinities = affinities;
    this.deadLetters = deadLetters;
    this.registryConfig = registryConfig;
    this.settings = settings;
  }

  /** The job on the catalogue's Kafka topics. */
  public static FootprintsJob onKafka(KafkaConnection connection, FootprintSettings settings) {
    TopicIO io = new TopicIO(connection, NAME);
    return new FootprintsJob(
        io.source(Topics.TRAFFIC),
        io.source(Topics.QUANTA),
        io.source(Topics.WRITTEN_SETS),
        io.source(Topics.INVENTORY),
        io.sink(Topics.FOOTPRINTS, Footprint::getVmId),
        io.sink(Topics.AFFINITIES, RecordKeys::of),
        io.sink(Topics.DEAD_LETTERS, DeadLetters::key, new DeadLetterMeters()),
        connection.registryProperties(),
        settings);
  }

  /** What the job publishes, for the planner beside it. */
  public record Outputs(DataStream<Footprint> footprints, DataStream<Affinity> affinities) {}

  /** The job alone: the written sets come from their topic. */
  public Outputs addTo(StreamExecutionEnvironment env) {
    JobInputs inputs = new JobInputs(env, NAME, registryConfig, settings.eventTime());
    SingleOutputStreamOperator<WrittenSet> sets =
        inputs.decoded("written-sets", writtenSets, WrittenSet.class, new WrittenSetCheck());
    return addTo(inputs, sets, sets.getSideOutput(DecodeRecords.DEAD_LETTERS));
  }

  /**
   * Beside the page-generations job: its written sets taken as it makes them, not back from their
   * topic, where they appear only when a checkpoint commits them (and would come late).
   */
  public Outputs addTo(StreamExecutionEnvironment env, DataStream<WrittenSet> sets) {
    JobInputs inputs = new JobInputs(env, NAME, registryConfig, settings.eventTime());
    return addTo(inputs, sets, null);
  }

  private Outputs addTo(JobInputs inputs, DataStream<WrittenSet> sets, DataStream<DeadLetter> setsRejected) {
    JobInputs.Fleet listed = inputs.fleet(inventory);
    SingleOutputStreamOperator<TrafficSample> trafficSamples = inputs.collected("traffic", traffic, TrafficSample.class,
        new TrafficSampleCheck(), new FleetRefs<>(TrafficSample::getSrcVmId, TrafficSample::getHostId), listed);

    SingleOutputStreamOperator<QuantumSample> quantumSamples = inputs.collected("quanta", quanta, QuantumSample.class,
        new QuantumSampleCheck(), new FleetRefs<>(QuantumSample::getVmId, QuantumSample::getHostId), listed);

    SingleOutputStreamOperator<VmAddresses> addresses =
        inputs.inventory(inventory, new DecodeVmAddresses(registryConfig, inputs.decodeStage(JobInputs.INVENTORY)));
    BroadcastStream<VmAddresses> fleet = addresses.broadcast(ResolveEndpoints.FLEET);

    DataStream<VmSignal> signals = trafficSamples
        .connect(fleet)
        .process(new ResolveEndpoints()).name("resolve-endpoints").uid("footprints/resolve-endpoints")
        .union(
            quantumSamples.map(VmSignal::cpu).name("cpu-signals").uid("footprints/cpu-signals"),
            sets.map(VmSignal::writes).name("write-signals").uid("footprints/write-signals"));

    SingleOutputStreamOperator<Footprint> tracked = signals
        .keyBy(signal -> signal.vmId)
        .connect(fleet)
        .process(new TrackFootprints(settings)).name("track-footprints").uid("footprints/track-footprints");

    tracked.sinkTo(footprints).name("footprints-sink").uid("footprints/footprints-sink");
    DataStream<Affinity> pairs = tracked.getSideOutput(TrackFootprints.AFFINITIES);
    pairs.sinkTo(affinities).name("affinities-sink").uid("footprints/affinities-sink");

    DataStream<DeadLetter> rejected = trafficSamples.getSideOutput(DecodeRecords.DEAD_LETTERS)
        .union(quantumSamples.getSideOutput(DecodeRecords.DEAD_LETTERS), addresses.getSideOutput(DecodeRecords.DEAD_LETTERS));
    if (setsRejected != null) {
      rejected = rejected.union(setsRejected);
    }
    rejected.sinkTo(deadLetters).name("dead-letters-sink").uid("footprints/dead-letters-sink");
    return new Outputs(tracked, pairs);
  }
}
