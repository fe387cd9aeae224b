package io.reshape.jobs.generations;

import io.reshape.jobs.inventory.VmPlacement;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Inventory placements as memory events, at the inventory record's event time. */
public class PlacementEvents extends ProcessFunction<VmPlacement, MemoryEvent> {

  private static final long serialVersionUID = 1L;

  @Override
  public void processElement(VmPlacement placement, Context ctx, Collector<MemoryEvent> out) {
    out.collect(MemoryEvent.placed(placement, ctx.timestamp()));
  }
}
