package io.reshape.jobs.state;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * Records held in keyed state until the watermark passes their timestamp, for an operator whose
 * result must not depend on the order its inputs arrive in (which upstream subtask, which of two
 * inputs, delivered first): it takes what it held for each instant on that instant's event-time
 * timer, so it processes records in event time, and a replay of the same input gives the same
 * output.
 */
public final class EventTimeBuffer<T> {

  private final MapState<Long, List<T>> held;

  public EventTimeBuffer(RuntimeContext context, String name, TypeInformation<T> type) {
    held = context.getMapState(new MapStateDescriptor<>(name, Types.LONG, Types.LIST(type)));
  }

  /** Holds {@code value} until the watermark passes {@code at}, and asks for a timer then. */
  public void add(long at, T value, TimerService timers) throws Exception {
    List<T> waiting = held.get(at);
    List<T> values = waiting == null ? new ArrayList<>() : new ArrayList<>(waiting);
    values.add(value);
    held.put(at, values);
    timers.registerEventTimeTimer(at);
  }

  /** What was held for {@code at}, in the order it came (empty when nothing was), forgotten here. */
  public List<T> take(long at) throws Exception {
    List<T> values = held.get(at);
    if (values == null) {
      return new ArrayList<>();
    }
    held.remove(at);
    return new ArrayList<>(values);
  }

  public void clear() {
    held.clear();
  }
}
