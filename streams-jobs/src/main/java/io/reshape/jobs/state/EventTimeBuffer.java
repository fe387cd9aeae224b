package io.reshape.jobs.state;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.TimerService;

/**
 * Records held in keyed state until the watermark passes their timestamp, for an operator whose
 * result must not depend on the order its inputs arrive in (which upstream subtask, which of two
 * inputs, delivered first): it takes what it held for each instant on that instant's event-time
 * timer, so it processes records in event time, and a replay of the same input gives the same
 * output.
 *
 * <p>Each record is a state entry of its own, numbered within its instant: holding one costs one
 * record's serialisation, however many wait for the same instant (a fleet-wide operator holds every
 * VM's update of an instant under one key; a list per instant, rewritten on each add, cost the
 * square of their number).
 */
public final class EventTimeBuffer<T> {

  private final MapState<Long, Integer> counts;
  private final MapState<Tuple2<Long, Integer>, T> held;

  public EventTimeBuffer(RuntimeContext context, String name, TypeInformation<T> type) {
    counts = context.getMapState(new MapStateDescriptor<>(name + "-counts", Types.LONG, Types.INT));
    held = context.getMapState(new MapStateDescriptor<>(name + "-records", Types.TUPLE(Types.LONG, Types.INT), type));
  }

  /** Holds {@code value} until the watermark passes {@code at}, and asks for a timer then. */
  public void add(long at, T value, TimerService timers) throws Exception {
    Integer waiting = counts.get(at);
    int index = waiting == null ? 0 : waiting;
    held.put(Tuple2.of(at, index), value);
    counts.put(at, index + 1);
    timers.registerEventTimeTimer(at);
  }

  /** What was held for {@code at}, in the order it came (empty when nothing was), forgotten here. */
  public List<T> take(long at) throws Exception {
    Integer waiting = counts.get(at);
    List<T> values = new ArrayList<>(waiting == null ? 0 : waiting);
    if (waiting == null) {
      return values;
    }
    for (int index = 0; index < waiting; index++) {
      Tuple2<Long, Integer> key = Tuple2.of(at, index);
      values.add(held.get(key));
      held.remove(key);
    }
    counts.remove(at);
    return values;
  }

  public void clear() {
    counts.clear();
    held.clear();
  }
}
