package io.reshape.jobs.sharing;

import io.reshape.events.DeadLetter;
import io.reshape.events.HostSharing;
import io.reshape.events.PageFingerprints;
import io.reshape.events.SharingEstimate;
import io.reshape.jobs.inventory.DecodeVmPlacements;
import io.reshape.jobs.inventory.VmPlacement;
import io.reshape.jobs.kafka.DecodeRecords;
import io.reshape.jobs.kafka.FleetRefs;
import io.reshape.jobs.kafka.JobInputs;
import io.reshape.jobs.kafka.RawRecord;
import io.reshape.jobs.kafka.TopicIO;
import io.reshape.jobs.metrics.DeadLetterMeters;
import io.reshape.jobs.metrics.HostSharingMeters;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.RecordKeys;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.DeadLetters;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Estimates which VMs hold the same pages, so that KSM could merge them if they sat together, and
 * what KSM would gain on each host as the VMs are placed now:
 *
 * <pre>
 *   page-fingerprints ─▶ decode ─▶ sketch pages ─┬─▶ compare pairs ─────▶ sharing
 *                                  (by VM)  ▲    └─▶ host sharing ──────▶ host-sharing
 *   inventory ─▶ decode placements ─────────┘        (both one key for the fleet)
 *   (undecodable, invalid, late or unlisted records) ────────────────────────────▶ dead-letters
 * </pre>
 *
 * Sketching, the work per record, runs at the job's parallelism; the two fleet-wide operators each
 * run as one subtask, since every pair and every host needs sketches from anywhere in the fleet
 * (see {@link ComparePairs} for what that costs). Sources and sinks are parameters, so tests run
 * the same job on other ends.
 */
public final class SharingJob {

  public static final String NAME = "sharing";

  private final Source<RawRecord, ?, ?> fingerprints;
  private final Source<RawRecord, ?, ?> inventory;
  private final Sink<SharingEstimate> sharing;
  private final Sink<HostSharing> hostSharing;
  private final Sink<DeadLetter> deadLetters;
  private final Map<String, String> registryConfig;
  private final SharingSettings settings;

  public SharingJob(Source<RawRecord, ?, ?> fingerprints, Source<RawRecord, ?, ?> inventory,
      Sink<SharingEstimate> sharing, Sink<HostSharing> hostSharing, Sink<DeadLetter> deadLetters,
      Map<String, String> registryConfig, SharingSettings settings) {
    this.fingerprints = fingerprints;
    this.inventory = inventory;
    this.sharing = sharing;
    this.hostSharing = hostSharing;
    this.deadLetters = deadLetters;
    this.registryConfig = registryConfig;
    this.settings = settings;
  }

  /** The job on the catalogue's Kafka topics. */
  public static SharingJob onKafka(KafkaConnection connection, SharingSettings settings) {
    TopicIO io = new TopicIO(connection, NAME);
    return new SharingJob(
        io.source(Topics.PAGE_FINGERPRINTS),
        io.source(Topics.INVENTORY),
        io.sink(Topics.SHARING, RecordKeys::of),
        io.sink(Topics.HOST_SHARING, HostSharing::getHostId, new HostSharingMeters()),
        io.sink(Topics.DEAD_LETTERS, DeadLetters::key, new DeadLetterMeters()),
        connection.registryProperties(),
        settings);
  }

  /** What the job publishes, for the planner beside it. */
  public record Outputs(DataStream<SharingEstimate> pairs, DataStream<HostSharing> hosts) {}

  public Outputs addTo(StreamExecutionEnvironment env) {
    JobInputs inputs = new JobInputs(env, NAME, registryConfig, settings.eventTime());

    SingleOutputStreamOperator<PageFingerprints> records = inputs.collected("page-fingerprints", fingerprints, PageFingerprints.class,
        new PageFingerprintsCheck(), new FleetRefs<>(PageFingerprints::getVmId, PageFingerprints::getHostId), inputs.fleet(inventory));

    SingleOutputStreamOperator<VmPlacement> placements =
        inputs.inventory(inventory, new DecodeVmPlacements(registryConfig, inputs.decodeStage(JobInputs.INVENTORY)));

    SingleOutputStreamOperator<VmSketch> sketches = records.keyBy(PageFingerprints::getVmId)
        .connect(placements.keyBy(vm -> vm.vmId))
        .process(new SketchPages(settings)).name("sketch-pages").uid("sharing/sketch-pages");

    SingleOutputStreamOperator<SharingEstimate> pairs = sketches.keyBy(vm -> ComparePairs.FLEET)
        .process(new ComparePairs(settings)).name("compare-pairs").uid("sharing/compare-pairs").setParallelism(1);
    pairs.sinkTo(sharing).name("sharing-sink").uid("sharing/sharing-sink");

    SingleOutputStreamOperator<HostSharing> hosts = sketches.keyBy(vm -> ComparePairs.FLEET)
        .process(new EstimateHostSharing(settings)).name("host-sharing").uid("sharing/host-sharing").setParallelism(1);
    hosts.sinkTo(hostSharing).name("host-sharing-sink").uid("sharing/host-sharing-sink");

    DataStream<DeadLetter> rejected = records.getSideOutput(DecodeRecords.DEAD_LETTERS)
        .union(placements.getSideOutput(DecodeRecords.DEAD_LETTERS));
    rejected.sinkTo(deadLetters).name("dead-letters-sink").uid("sharing/dead-letters-sink");
    return new Outputs(pairs, hosts);
  }
}
