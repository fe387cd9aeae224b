package io.reshape.actuator.coordinator;

import io.reshape.events.Actuation;
import io.reshape.events.Decision;
import io.reshape.events.HostCommand;
import io.reshape.events.InventoryRecord;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.RegistryAvroSerde;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The central half of the actuator:
 *
 * <pre>
 *   inventory ─▶ VM records by VM id ─▶ vm-placements (versioned table: as of each decision's time)
 *                                            │
 *   decisions ─▶ join placement ─▶ validate (dedupe, rules, cool-down) ─┬─▶ commands (by host)
 *                                                                       └─▶ actuations (refused)
 * </pre>
 */
public final class CoordinatorTopology {

  public static final String APPLICATION_ID = "reshape-coordinator";
  /**
   * How far back placements are kept for joining: longer than a decision lives. A decision older
   * than that finds no placement and is refused, as it would be for its deadline.
   */
  static final Duration PLACEMENT_HISTORY = Duration.ofHours(1);

  private CoordinatorTopology() {}

  public static Topology build(Map<String, String> registryConfig, CoordinatorSettings settings, DecisionMeters meters,
      Clock clock) {
    RegistryAvroSerde<InventoryRecord> inventory = RegistryAvroSerde.forValues(Topics.INVENTORY, registryConfig);
    RegistryAvroSerde<Decision> decisions = RegistryAvroSerde.forValues(Topics.DECISIONS, registryConfig);
    RegistryAvroSerde<HostCommand> commands = RegistryAvroSerde.forValues(Topics.COMMANDS, registryConfig);
    RegistryAvroSerde<Actuation> actuations = RegistryAvroSerde.forValues(Topics.ACTUATIONS, registryConfig);

    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(ValidateDecisions.SEEN_DECISIONS), Serdes.String(), Serdes.Long()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(ValidateDecisions.LAST_ACTIONS), Serdes.String(), Serdes.Long()));

    KTable<String, InventoryRecord> placements = builder
        .stream(Topics.INVENTORY.name(), Consumed.with(Serdes.String(), inventory).withName("inventory"))
        .filter((key, value) -> InventoryKeys.vmIdOf(key).isPresent(), Named.as("vm-records"))
        .selectKey((key, value) -> InventoryKeys.vmIdOf(key).orElseThrow(), Named.as("key-by-vm"))
        // Versioned: a decision is joined with the placement as of its own event time, whichever of
        // the two was read first, so the same decisions are judged alike in a replay.
        .toTable(Named.as("vm-placements"), Materialized.<String, InventoryRecord>as(
                Stores.persistentVersionedKeyValueStore("vm-placements", PLACEMENT_HISTORY))
            .withKeySerde(Serdes.String()).withValueSerde(inventory));

    KStream<String, SpecificRecord> outcomes = builder
        .stream(Topics.DECISIONS.name(), Consumed.with(Serdes.String(), decisions).withName("decisions"))
        .leftJoin(placements, PlacedDecision::of, Joined.with(Serdes.String(), decisions, inventory).withName("place-decision"))
        .process(() -> new ValidateDecisions(settings, meters, clock), Named.as("validate-decisions"),
            ValidateDecisions.SEEN_DECISIONS, ValidateDecisions.LAST_ACTIONS);

    outcomes.split(Named.as("outcome-"))
        .branch((host, value) -> value instanceof HostCommand, Branched.withConsumer(accepted -> accepted
            .mapValues(value -> (HostCommand) value, Named.as("as-command"))
            .to(Topics.COMMANDS.name(), Produced.with(Serdes.String(), commands).withName("commands")), "accepted"))
        .defaultBranch(Branched.withConsumer(refused -> refused
            .mapValues(value -> (Actuation) value, Named.as("as-actuation"))
            .to(Topics.ACTUATIONS.name(), Produced.with(Serdes.String(), actuations).withName("refusals")), "refused"));
    return builder.build();
  }
}
