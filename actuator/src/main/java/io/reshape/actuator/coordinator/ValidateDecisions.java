package io.reshape.actuator.coordinator;

import io.reshape.actuator.Actuations;
import io.reshape.events.Action;
import io.reshape.events.Decision;
import io.reshape.events.HostCommand;
import io.reshape.schemas.RecordKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges each decision once: a decision id seen before is not acted on again. Accepted decisions
 * become one command per host involved (keyed by host); refused ones become an actuation saying
 * why. A decision id is forgotten once both the decision and the moment it was seen are older, by
 * the wall clock, than {@link CoordinatorSettings#decisionMemory()}: the rules refuse any decision
 * that old, so a forgotten one read again is refused, never acted on.
 */
final class ValidateDecisions implements Processor<String, PlacedDecision, String, SpecificRecord> {

  static final String SEEN_DECISIONS = "seen-decisions";
  static final String LAST_ACTIONS = "last-actions";
  private static final Logger LOG = LoggerFactory.getLogger(ValidateDecisions.class);

  private final CoordinatorSettings settings;
  private final DecisionRules rules;
  private final DecisionMeters meters;
  private final Clock clock;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, Long> seen;
  private KeyValueStore<String, Long> lastActions;

  ValidateDecisions(CoordinatorSettings settings, DecisionMeters meters, Clock clock) {
    this.settings = settings;
    this.rules = new DecisionRules(settings);
    this.meters = meters;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.seen = context.getStateStore(SEEN_DECISIONS);
    this.lastActions = context.getStateStore(LAST_ACTIONS);
    context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, t -> forgetOldDecisions());
  }

  @Override
  public void process(Record<String, PlacedDecision> record) {
    Decision decision = record.value().decision();
    if (seen.get(decision.getDecisionId()) != null) {
      LOG.info("Decision {} was seen before; not acted on again", decision.getDecisionId());
      meters.duplicate(decision.getAction());
      return;
    }
    Instant wallClock = clock.instant();
    seen.put(decision.getDecisionId(), micros(latest(decision.getCreatedAt(), wallClock)));
    String vmId = decision.getVmId();
    Long last = vmId == null ? null : lastActions.get(vmId);
    Verdict verdict = rules.judge(decision, record.value().vm(), last == null ? null : instant(last),
        Instant.ofEpochMilli(context.currentStreamTimeMs()), wallClock);
    if (verdict instanceof Verdict.Accept accept) {
      meters.accepted(decision.getAction());
      if (vmId != null && decision.getAction() != Action.SWAP_IN) {
        lastActions.put(vmId, micros(decision.getCreatedAt()));
      }
      for (String host : accept.hosts()) {
        context.forward(record.withKey(host).withValue(command(decision, host)));
      }
    } else if (verdict instanceof Verdict.Refuse refuse) {
      LOG.info("Decision {} ({} {}) refused: {}", decision.getDecisionId(), decision.getAction(), vmId, refuse.reason());
      meters.refused(decision.getAction(), refuse.outcome());
      context.forward(record.withKey(RecordKeys.of(decision))
          .withValue(Actuations.refused(decision, refuse.outcome(), refuse.reason(), clock.instant())));
    }
  }

  private static HostCommand command(Decision decision, String host) {
    return HostCommand.newBuilder()
        .setCommandId(decision.getDecisionId() + "@" + host)
        .setDecisionId(decision.getDecisionId())
        .setHostId(host)
        .setAction(decision.getAction())
        .setVmId(decision.getVmId())
        .setDestinationHostId(decision.getDestinationHostId())
        .setParameters(decision.getParameters())
        .setDecidedAt(decision.getCreatedAt())
        .setDeadline(decision.getDeadline())
        .build();
  }

  private void forgetOldDecisions() {
    long horizon = micros(clock.instant().minus(settings.decisionMemory()));
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = seen.all()) {
      all.forEachRemaining((KeyValue<String, Long> entry) -> {
        if (entry.value < horizon) {
          old.add(entry.key);
        }
      });
    }
    old.forEach(seen::delete);
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
