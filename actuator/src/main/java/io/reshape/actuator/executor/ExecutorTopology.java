package io.reshape.actuator.executor;

import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.RegistryAvroSerde;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The host half of the actuator:
 *
 * <pre>
 *   commands ─▶ this host's ─▶ accept (journal) ─▶ refusals ─▶ actuations
 *                                     └─▶ worker (driver, outside the transaction) ─▶ actuations
 * </pre>
 */
public final class ExecutorTopology {

  private ExecutorTopology() {}

  public static Topology build(Map<String, String> registryConfig, ExecutorSettings settings,
      CommandJournal journal, Consumer<CommandJournal.Entry> worker, ActuationMeters meters, Clock clock) {
    RegistryAvroSerde<HostCommand> commands = RegistryAvroSerde.forValues(Topics.COMMANDS, registryConfig);
    RegistryAvroSerde<Actuation> actuations = RegistryAvroSerde.forValues(Topics.ACTUATIONS, registryConfig);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(Topics.COMMANDS.name(), Consumed.with(Serdes.String(), commands).withName("commands"))
        .filter((host, command) -> settings.serves(host), Named.as("this-host"))
        .process(() -> new AcceptCommands(journal, settings.admission(), worker, meters, clock), Named.as("accept-commands"))
        .to(Topics.ACTUATIONS.name(), Produced.with(Serdes.String(), actuations).withName("refusals"));
    return builder.build();
  }
}
