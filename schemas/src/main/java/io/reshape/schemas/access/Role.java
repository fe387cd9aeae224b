package io.reshape.schemas.access;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who talks to Kafka, and what each may do there: the one source of the broker's ACLs (tested on
 * a real broker) and of the cluster's {@code KafkaUser}s (generated into {@code k8s/}). Each role
 * reads and writes catalogue topics by name, and owns consumer groups, transactional ids and
 * (for Kafka Streams) internal topics under names only it uses.
 */
public enum Role {

  /** Writes the host signals and, in the same transactions, how far its spool has been committed. */
  COLLECTOR(
      List.of(Topics.COLLECTOR_POSITIONS),
      List.of(Topics.DIRTY_PAGES, Topics.QUANTA, Topics.TRAFFIC, Topics.PAGE_FINGERPRINTS, Topics.INVENTORY,
          Topics.COLLECTOR_POSITIONS),
      Owns.TRANSACTIONAL_IDS, List.of("collector")),

  /** The analytics jobs: footprints, idleness, page generations and sharing. */
  ANALYTICS(
      List.of(Topics.DIRTY_PAGES, Topics.QUANTA, Topics.TRAFFIC, Topics.PAGE_FINGERPRINTS, Topics.INVENTORY,
          Topics.GENERATION_REQUESTS, Topics.ACTUATIONS),
      List.of(Topics.FOOTPRINTS, Topics.AFFINITIES, Topics.IDLENESS, Topics.PAGE_GENERATIONS, Topics.WRITTEN_SETS,
          Topics.SHARING, Topics.HOST_SHARING, Topics.DEAD_LETTERS),
      Owns.FLINK_JOBS, List.of("footprints", "idleness", "generations", "sharing")),

  /** The planner job: reads what the analytics predict, writes decisions and plans. */
  PLANNER(
      List.of(Topics.INVENTORY, Topics.ACTUATIONS, Topics.FOOTPRINTS, Topics.AFFINITIES, Topics.IDLENESS,
          Topics.PAGE_GENERATIONS, Topics.WRITTEN_SETS, Topics.SHARING, Topics.HOST_SHARING),
      List.of(Topics.DECISIONS, Topics.PLANS, Topics.GENERATION_REQUESTS, Topics.DEAD_LETTERS),
      Owns.FLINK_JOBS, List.of("planner")),

  /** Judges decisions against the fleet and sends each host its commands. */
  COORDINATOR(
      List.of(Topics.INVENTORY, Topics.DECISIONS, Topics.ACTUATIONS),
      List.of(Topics.COMMANDS, Topics.ACTUATIONS, Topics.DEAD_LETTERS),
      Owns.STREAMS_APPLICATIONS, List.of("coordinator")),

  /** Applies its hosts' commands and reports what came of them. */
  EXECUTOR(
      List.of(Topics.COMMANDS),
      List.of(Topics.ACTUATIONS, Topics.DEAD_LETTERS),
      Owns.STREAMS_APPLICATIONS, List.of("executor-"));

  /** The prefix of every name (group, transactional id, application id) a role owns. */
  public static final String NAME_PREFIX = "reshape-";

  /** What kind of Kafka names a role owns, by the kind of client it runs. */
  private enum Owns { TRANSACTIONAL_IDS, FLINK_JOBS, STREAMS_APPLICATIONS }

  private final List<Topic<?>> reads;
  private final List<Topic<?>> writes;
  private final Owns owns;
  private final List<String> names;

  Role(List<Topic<?>> reads, List<Topic<?>> writes, Owns owns, List<String> names) {
    this.reads = reads;
    this.writes = writes;
    this.owns = owns;
    this.names = names;
  }

  /** The user name this role authenticates as: {@code reshape-collector}, ... */
  public String userName() {
    return NAME_PREFIX + name().toLowerCase(Locale.ROOT);
  }

  /** The principal the broker's authorizer sees. */
  public String principal() {
    return "User:" + userName();
  }

  public List<Topic<?>> reads() {
    return reads;
  }

  public List<Topic<?>> writes() {
    return writes;
  }

  /**
   * The names this role's clients are named after, each under {@link #NAME_PREFIX}: the Flink
   * jobs' names (consumer group {@code reshape-JOB}, transactional ids {@code reshape-JOB-...}),
   * the Streams application ids (or their prefix, for the executor's one per host set), the
   * collector's transactional-id prefix.
   */
  public List<String> clientNames() {
    return names;
  }

  /** Everything this role may do; anything else the broker refuses. */
  public List<Grant> grants() {
    List<Grant> grants = new ArrayList<>();
    reads.forEach(t -> grants.add(new Grant(ResourceType.TOPIC, t.name(), false, Set.of(READ, DESCRIBE))));
    writes.forEach(t -> grants.add(new Grant(ResourceType.TOPIC, t.name(), false, Set.of(WRITE, DESCRIBE))));
    for (String client : names) {
      String name = NAME_PREFIX + client;
      boolean prefixed = client.endsWith("-");
      switch (owns) {
        case TRANSACTIONAL_IDS ->
            grants.add(new Grant(ResourceType.TRANSACTIONAL_ID, name + "-", true, Set.of(WRITE, DESCRIBE)));
        case FLINK_JOBS -> {
          grants.add(new Grant(ResourceType.GROUP, name, false, Set.of(READ, DESCRIBE)));
          grants.add(new Grant(ResourceType.TRANSACTIONAL_ID, name + "-", true, Set.of(WRITE, DESCRIBE)));
        }
        case STREAMS_APPLICATIONS -> {
          // Kafka Streams names its group, its transactional ids and its internal topics after the application id.
          grants.add(new Grant(ResourceType.GROUP, name, prefixed, Set.of(READ, DESCRIBE)));
          String owned = prefixed ? name : name + "-";
          grants.add(new Grant(ResourceType.TRANSACTIONAL_ID, owned, true, Set.of(WRITE, DESCRIBE)));
          grants.add(new Grant(ResourceType.TOPIC, owned, true, Set.of(ALL)));
        }
        default -> throw new IllegalStateException("Unknown kind of client: " + owns);
      }
    }
    return List.copyOf(grants);
  }

  /** The broker's ACLs for this role. */
  public List<AclBinding> aclBindings() {
    return grants().stream().flatMap(g -> g.aclBindings(principal()).stream()).toList();
  }
}
