package io.reshape.actuator.executor;

import io.reshape.actuator.Actuations;
import io.reshape.events.Actuation;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.schemas.RecordKeys;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each command at most once, through the driver, and reports the outcome. The journal
 * decides: a command it has finished is reported again as it ended (its first report was undone
 * with an aborted transaction), a command it began and never finished is reported IN_DOUBT, and
 * only a command it has never seen, and that {@link CommandAdmission} admits, reaches the driver.
 */
final class ApplyCommands implements Processor<String, HostCommand, String, Actuation> {

  private static final Logger LOG = LoggerFactory.getLogger(ApplyCommands.class);

  private final CommandJournal journal;
  private final CommandAdmission admission;
  private final Driver driver;
  private final Clock clock;
  private ProcessorContext<String, Actuation> context;

  ApplyCommands(CommandJournal journal, CommandAdmission admission, Driver driver, Clock clock) {
    this.journal = journal;
    this.admission = admission;
    this.driver = driver;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Actuation> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, HostCommand> record) {
    Actuation actuation = actuate(record.value());
    context.forward(record.withKey(RecordKeys.of(actuation)).withValue(actuation));
  }

  private Actuation actuate(HostCommand command) {
    Optional<CommandJournal.Entry> known = journal.find(command.getCommandId());
    if (known.isPresent()) {
      CommandJournal.Entry entry = known.get();
      if (entry.finished()) {
        return Actuations.ofCommand(command, entry.outcome(), entry.driver(), entry.detail(), entry.begunAt(), entry.finishedAt());
      }
      String detail = "The executor stopped while applying this command; it is not applied again";
      LOG.warn("Command {} is in doubt: {}", command.getCommandId(), detail);
      return finish(command, Outcome.IN_DOUBT, detail, entry.begunAt());
    }
    Instant now = clock.instant();
    Optional<CommandAdmission.Refusal> refusal = admission.refusal(command, now);
    if (refusal.isPresent()) {
      LOG.info("Command {} refused: {}", command.getCommandId(), refusal.get().reason());
      return finish(command, refusal.get().outcome(), refusal.get().reason(), null);
    }
    journal.begun(command.getCommandId(), command.getDecidedAt(), now);
    DriverResult result;
    try {
      result = driver.apply(command);
    } catch (Exception e) {
      LOG.error("Command {} failed", command.getCommandId(), e);
      result = new DriverResult(Outcome.FAILED, String.valueOf(e));
    }
    return finish(command, result.outcome(), result.detail(), now);
  }

  private Actuation finish(HostCommand command, Outcome outcome, String detail, Instant startedAt) {
    Instant now = clock.instant();
    journal.finished(command.getCommandId(), command.getDecidedAt(), outcome, driver.name(), detail, now);
    return Actuations.ofCommand(command, outcome, driver.name(), detail, startedAt, now);
  }
}
