package io.reshape.jobs.generations;

import io.reshape.events.Actuation;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Migrations that were carried out, as the VM leaving its host; other outcomes say nothing of memory. */
public class MigrationEvents implements FlatMapFunction<Actuation, MemoryEvent> {

  private static final long serialVersionUID = 1L;

  @Override
  public void flatMap(Actuation actuation, Collector<MemoryEvent> out) {
    MemoryEvent.left(actuation).ifPresent(out::collect);
  }
}
