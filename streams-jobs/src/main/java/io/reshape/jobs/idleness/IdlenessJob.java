package io.reshape.jobs.idleness;

import io.reshape.events.DeadLetter;
import io.reshape.events.IdlenessPrediction;
import io.reshape.events.QuantumSample;
import io.reshape.jobs.kafka.DecodeRecords;
import io.reshape.jobs.kafka.FleetRefs;
import io.reshape.jobs.kafka.JobInputs;
import io.reshape.jobs.kafka.RawRecord;
import io.reshape.jobs.kafka.TopicIO;
import io.reshape.jobs.metrics.DeadLetterMeters;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.DeadLetters;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Detects idle VMs from their scheduling quanta and predicts how long they stay idle; the planner
 * decides what to do about it:
 *
 * <pre>
 *   quanta ─▶ decode ─▶ combine vCPUs ─▶ track idleness ─▶ idleness
 *   inventory ─▶ fleet, broadcast to decode (records of VMs or hosts it does not list are refused)
 *   (undecodable, invalid, late or unlisted records) ───▶ dead-letters
 * </pre>
 *
 * Sources and sinks are parameters, so tests run the same job on other ends.
 */
public final class IdlenessJob {

  public static final String NAME = "idleness";

  private final Source<RawRecord, ?, ?> quanta;
  private final Source<RawRecord, ?, ?> inventory;
  private final Sink<IdlenessPrediction> idleness;
  private final Sink<DeadLetter> deadLetters;
  private final Map<String, String> registryConfig;
  private final IdlenessSettings settings;

  public IdlenessJob(Source<RawRecord, ?, ?> quanta, Source<RawRecord, ?, ?> inventory, Sink<IdlenessPrediction> idleness, Sink<DeadLetter> deadLetters,
      Map<String, String> registryConfig, IdlenessSettings settings) {
    this.quanta = quanta;
    this.inventory = inventory;
    this.idleness = idleness;
    this.deadLetters = deadLetters;
    this.registryConfig = registryConfig;
    this.settings = settings;
  }

  /** The job on the catalogue's Kafka topics. */
  public static IdlenessJob onKafka(KafkaConnection connection, IdlenessSettings settings) {
    TopicIO io = new TopicIO(connection, NAME);
    return new IdlenessJob(
        io.source(Topics.QUANTA),
        io.source(Topics.INVENTORY),
        io.sink(Topics.IDLENESS, IdlenessPrediction::getVmId),
        io.sink(Topics.DEAD_LETTERS, DeadLetters::key, new DeadLetterMeters()),
        connection.registryProperties(),
        settings);
  }

  /** Adds the job to {@code env}; returns its changes of idleness, for the planner beside it. */
  public DataStream<IdlenessPrediction> addTo(StreamExecutionEnvironment env) {
    JobInputs inputs = new JobInputs(env, NAME, registryConfig, settings.eventTime());

    JobInputs.Fleet listed = inputs.fleet(inventory);
    SingleOutputStreamOperator<QuantumSample> samples = inputs.collected("quanta", quanta, QuantumSample.class,
        new QuantumSampleCheck(), new FleetRefs<>(QuantumSample::getVmId, QuantumSample::getHostId), listed);

    SingleOutputStreamOperator<IdlenessPrediction> changes = samples
        .keyBy(QuantumSample::getVmId)
        .process(new CombineVcpus()).name("combine-vcpus").uid("idleness/combine-vcpus")
        .keyBy(interval -> interval.vmId)
        .process(new TrackIdleness(settings)).name("track-idleness").uid("idleness/track-idleness");

    changes.sinkTo(idleness).name("idleness-sink").uid("idleness/idleness-sink");
    samples.getSideOutput(DecodeRecords.DEAD_LETTERS).union(listed.deadLetters()).sinkTo(deadLetters).name("dead-letters-sink").uid("idleness/dead-letters-sink");
    return changes;
  }
}
