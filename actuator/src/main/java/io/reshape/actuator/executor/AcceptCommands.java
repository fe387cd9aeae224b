package io.reshape.actuator.executor;

import io.reshape.actuator.Actuations;
import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.schemas.RecordKeys;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each command on at most once: a command {@link CommandAdmission} admits is recorded in the
 * journal as accepted and handed to the worker, which carries it out and reports on it outside
 * this transaction; one it refuses is reported here, in the transaction. A command the journal
 * knows is not taken on again: a refusal is reported again (its first report may have been undone
 * with an aborted transaction), and an accepted one is the worker's.
 */
final class AcceptCommands implements Processor<String, HostCommand, String, Actuation> {

  private static final Logger LOG = LoggerFactory.getLogger(AcceptCommands.class);

  private final CommandJournal journal;
  private final CommandAdmission admission;
  private final Consumer<CommandJournal.Entry> worker;
  private final ActuationMeters meters;
  private final Clock clock;
  private ProcessorContext<String, Actuation> context;

  AcceptCommands(CommandJournal journal, CommandAdmission admission, Consumer<CommandJournal.Entry> worker,
      ActuationMeters meters, Clock clock) {
    this.journal = journal;
    this.admission = admission;
    this.worker = worker;
    this.meters = meters;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Actuation> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, HostCommand> record) {
    HostCommand command = record.value();
    Optional<CommandJournal.Entry> known = journal.find(command.getCommandId());
    if (known.isPresent()) {
      CommandJournal.Entry entry = known.get();
      if (!entry.accepted()) {
        forward(record, Actuations.ofCommand(command, entry.outcome(), entry.driver(), entry.detail(), null, entry.finishedAt()));
      }
      return;
    }
    Instant now = clock.instant();
    Optional<CommandAdmission.Refusal> refusal = admission.refusal(command, now);
    if (refusal.isPresent()) {
      LOG.info("Command {} refused: {}", command.getCommandId(), refusal.get().reason());
      journal.finished(command.getCommandId(), command.getDecidedAt(), refusal.get().outcome(), Actuations.EXECUTOR,
          refusal.get().reason(), now);
      meters.settled(command, refusal.get().outcome(), Actuations.EXECUTOR, now);
      forward(record, Actuations.ofCommand(command, refusal.get().outcome(), Actuations.EXECUTOR, refusal.get().reason(), null, now));
      return;
    }
    worker.accept(journal.accepted(command, now));
  }

  private void forward(Record<String, HostCommand> record, Actuation actuation) {
    context.forward(record.withKey(RecordKeys.of(actuation)).withValue(actuation));
  }
}
