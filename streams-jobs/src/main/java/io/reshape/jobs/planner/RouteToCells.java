package io.reshape.jobs.planner;

import io.reshape.planner.CellInputs;
import io.reshape.planner.CellRouter;
import io.reshape.planner.PlannerInput;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Names the cell of every planner input (see {@link CellRouter}) from what the inventory says of
 * hosts and VMs, which every instance of this operator receives as broadcast.
 */
public class RouteToCells extends BroadcastProcessFunction<PlannerInput, PlannerInput, PlannerInput> {

  private static final long serialVersionUID = 1L;

  /** Host id to its cell, and {@code vm:} + VM id to its host. */
  static final MapStateDescriptor<String, String> PLACES = new MapStateDescriptor<>("cells-and-hosts", Types.STRING, Types.STRING);
  private static final String VM = "vm:";

  @Override
  public void processElement(PlannerInput input, ReadOnlyContext ctx, Collector<PlannerInput> out) throws Exception {
    ReadOnlyBroadcastState<String, String> places = ctx.getBroadcastState(PLACES);
    input.cellId = CellRouter.cellOf(input, host -> read(places, host), vm -> read(places, VM + vm));
    out.collect(input);
  }

  @Override
  public void processBroadcastElement(PlannerInput inventory, Context ctx, Collector<PlannerInput> out) throws Exception {
    BroadcastState<String, String> places = ctx.getBroadcastState(PLACES);
    switch (inventory.kind) {
      case HOST -> places.put(inventory.key, CellInputs.cellOf(inventory.host));
      case HOST_GONE -> places.remove(inventory.key);
      case VM -> places.put(VM + inventory.key, inventory.vm.getHostId());
      case VM_GONE -> places.remove(VM + inventory.key);
      default -> { }
    }
  }

  private static String read(ReadOnlyBroadcastState<String, String> places, String key) {
    try {
      return places.get(key);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read the broadcast placements", e);
    }
  }
}
