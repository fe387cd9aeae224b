package io.reshape.schemas;

import io.reshape.events.Actuation;
import io.reshape.events.Affinity;
import io.reshape.events.DeadLetter;
import io.reshape.events.Decision;
import io.reshape.events.DirtyPages;
import io.reshape.events.Footprint;
import io.reshape.events.GenerationDiff;
import io.reshape.events.GenerationRequest;
import io.reshape.events.HostCommand;
import io.reshape.events.HostSharing;
import io.reshape.events.IdlenessPrediction;
import io.reshape.events.InventoryRecord;
import io.reshape.events.PageFingerprints;
import io.reshape.events.Plan;
import io.reshape.events.QuantumSample;
import io.reshape.events.SharingEstimate;
import io.reshape.events.SpoolPosition;
import io.reshape.events.TrafficSample;
import io.reshape.events.WrittenSet;
import io.reshape.schemas.Topic.Cleanup;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The topic catalogue: the one place that declares a topic. */
public final class Topics {

  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Duration MONTH = Duration.ofDays(30);

  /**
   * How long the actuator remembers a decision: the coordinator the decision ids it has judged, an
   * executor the commands it has applied. {@code decisions} and {@code commands} keep records no
   * longer, and the actuator refuses a decision or command older than this, so a consumer that
   * starts again from the earliest offset can never apply a decision a second time.
   */
  public static final Duration DECISION_MEMORY = Duration.ofDays(7);

  // Host signals, written by the collectors.
  public static final Topic<DirtyPages> DIRTY_PAGES =
      new Topic<>("dirty-pages", "VM id", DirtyPages.class, 6, Cleanup.DELETE, DAY);
  public static final Topic<QuantumSample> QUANTA =
      new Topic<>("quanta", "VM id", QuantumSample.class, 6, Cleanup.DELETE, DAY);
  public static final Topic<TrafficSample> TRAFFIC =
      new Topic<>("traffic", "source VM id", TrafficSample.class, 6, Cleanup.DELETE, DAY);
  public static final Topic<PageFingerprints> PAGE_FINGERPRINTS =
      new Topic<>("page-fingerprints", "VM id", PageFingerprints.class, 6, Cleanup.DELETE, DAY);
  public static final Topic<InventoryRecord> INVENTORY =
      new Topic<>("inventory", InventoryKeys.DESCRIPTION, InventoryRecord.class, 3, Cleanup.COMPACT, DAY);

  // Analytics, written by the Flink jobs.
  public static final Topic<Footprint> FOOTPRINTS =
      new Topic<>("footprints", "VM id", Footprint.class, 6, Cleanup.DELETE, WEEK);
  public static final Topic<IdlenessPrediction> IDLENESS =
      new Topic<>("idleness", "VM id", IdlenessPrediction.class, 6, Cleanup.DELETE, WEEK);
  public static final Topic<GenerationDiff> PAGE_GENERATIONS =
      new Topic<>("page-generations", "VM id", GenerationDiff.class, 6, Cleanup.DELETE, WEEK);
  public static final Topic<SharingEstimate> SHARING =
      new Topic<>("sharing", "VM pair 'vmA|vmB'", SharingEstimate.class, 6, Cleanup.DELETE, WEEK);
  public static final Topic<WrittenSet> WRITTEN_SETS =
      new Topic<>("written-sets", "VM id", WrittenSet.class, 6, Cleanup.DELETE, WEEK);
  public static final Topic<Affinity> AFFINITIES =
      new Topic<>("affinities", "VM pair 'vmA|vmB'", Affinity.class, 6, Cleanup.DELETE, WEEK);
  public static final Topic<HostSharing> HOST_SHARING =
      new Topic<>("host-sharing", "host id", HostSharing.class, 3, Cleanup.DELETE, WEEK);

  // Questions to the analytics, asked by the planner.
  public static final Topic<GenerationRequest> GENERATION_REQUESTS =
      new Topic<>("generation-requests", "VM id", GenerationRequest.class, 6, Cleanup.DELETE, DAY);

  // Decisions and their outcomes.
  public static final Topic<Decision> DECISIONS =
      new Topic<>("decisions", "VM id (host id for host-wide actions)", Decision.class, 3, Cleanup.DELETE, DECISION_MEMORY);
  public static final Topic<HostCommand> COMMANDS =
      new Topic<>("commands", "host id", HostCommand.class, 3, Cleanup.DELETE, DECISION_MEMORY);
  public static final Topic<Plan> PLANS =
      new Topic<>("plans", "cell id", Plan.class, 3, Cleanup.DELETE, WEEK);
  public static final Topic<Actuation> ACTUATIONS =
      new Topic<>("actuations", "VM id (host id for host-wide actions)", Actuation.class, 3, Cleanup.DELETE, MONTH);

  // How far each collector's spool has been committed; written with the samples, in one transaction.
  public static final Topic<SpoolPosition> COLLECTOR_POSITIONS =
      new Topic<>("collector-positions", "collector id", SpoolPosition.class, 1, Cleanup.COMPACT, MONTH);

  // Records any stage could not use, with the reason.
  public static final Topic<DeadLetter> DEAD_LETTERS =
      new Topic<>("dead-letters", "source topic/partition@offset", DeadLetter.class, 1, Cleanup.DELETE, MONTH);

  public static final List<Topic<?>> ALL = List.of(
      DIRTY_PAGES, QUANTA, TRAFFIC, PAGE_FINGERPRINTS, INVENTORY,
      FOOTPRINTS, IDLENESS, PAGE_GENERATIONS, SHARING, WRITTEN_SETS, AFFINITIES, HOST_SHARING, GENERATION_REQUESTS,
      DECISIONS, PLANS, COMMANDS, ACTUATIONS, COLLECTOR_POSITIONS, DEAD_LETTERS);

  private Topics() {}

  /** The catalogue entry of a topic name. */
  public static Optional<Topic<?>> named(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
