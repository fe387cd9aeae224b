package io.reshape.jobs.idleness;

import io.reshape.events.Decision;
import io.reshape.events.IdleState;
import io.reshape.events.IdlenessPrediction;
import io.reshape.jobs.inventory.VmPlacement;
import io.reshape.schemas.Micros;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns idleness changes into paging decisions with an event-time timer: a VM that turns IDLE is
 * paged out when it has stayed idle for the configured time; a paged-out VM that turns ACTIVE is
 * swapped back in at once. A page-out due before the VM's next change is decided when that change
 * comes, should the watermark not have reached it by then, so the decisions do not depend on how
 * far the watermark moves at a time. The second input, the inventory, gives each VM's size and
 * says when it is gone, which clears its state. Keyed by VM id.
 */
public class DecidePaging extends KeyedCoProcessFunction<String, IdlenessPrediction, VmPlacement, Decision> {

  private static final long serialVersionUID = 1L;

  private final IdlenessSettings settings;
  private transient PagingPolicy policy;
  private transient ValueState<PagingState> paging;
  private transient ValueState<VmPlacement> placement;

  public DecidePaging(IdlenessSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    policy = new PagingPolicy(settings.pageOutAfter(), settings.decisionLifetime());
    paging = getRuntimeContext().getState(new ValueStateDescriptor<>("paging", TypeInformation.of(PagingState.class)));
    placement = getRuntimeContext().getState(new ValueStateDescriptor<>("placement", TypeInformation.of(VmPlacement.class)));
  }

  @Override
  public void processElement1(IdlenessPrediction change, Context ctx, Collector<Decision> out) throws Exception {
    PagingState state = paging.value();
    if (state == null) {
      state = new PagingState();
    }
    if (state.pageOutDueMillis != 0) {
      ctx.timerService().deleteEventTimeTimer(state.pageOutDueMillis);
      // Due before this change: the watermark has not reached it yet (held back by the inventory
      // input, or a backlog read in one watermark step), but the timer would have fired first.
      if (state.pageOutDueMillis < ctx.timestamp()) {
        pageOut(ctx.getCurrentKey(), state, out);
      }
      state.pageOutDueMillis = 0;
    }
    state.hostId = change.getHostId();
    if (change.getState() == IdleState.IDLE) {
      state.idleSinceMicros = Micros.of(change.getStateSince());
      if (!state.pagedOut) {
        state.pageOutDueMillis = policy.pageOutDue(change.getStateSince()).toEpochMilli();
        ctx.timerService().registerEventTimeTimer(state.pageOutDueMillis);
      }
    } else {
      state.idleSinceMicros = 0;
      if (state.pagedOut) {
        out.collect(policy.swapIn(ctx.getCurrentKey(), state.hostId, change.getStateSince(), memoryBytes()));
        state.pagedOut = false;
      }
    }
    paging.update(state);
  }

  @Override
  public void processElement2(VmPlacement vm, Context ctx, Collector<Decision> out) throws Exception {
    if (vm.present) {
      placement.update(vm);
      return;
    }
    PagingState state = paging.value();
    if (state != null && state.pageOutDueMillis != 0) {
      ctx.timerService().deleteEventTimeTimer(state.pageOutDueMillis);
    }
    paging.clear();
    placement.clear();
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Decision> out) throws Exception {
    PagingState state = paging.value();
    if (state == null || state.pageOutDueMillis != timestamp || state.pagedOut) {
      return;
    }
    pageOut(ctx.getCurrentKey(), state, out);
    paging.update(state);
  }

  /** Pages the VM out as of its page-out's due time. */
  private void pageOut(String vmId, PagingState state, Collector<Decision> out) throws IOException {
    Instant idleSince = Micros.instant(state.idleSinceMicros);
    // The VM may have moved while idle: it is paged out where the inventory says it runs now.
    VmPlacement vm = placement.value();
    String hostId = vm != null && vm.present ? vm.hostId : state.hostId;
    out.collect(policy.pageOut(vmId, hostId, idleSince, Instant.ofEpochMilli(state.pageOutDueMillis), memoryBytes()));
    state.pagedOut = true;
    state.pageOutDueMillis = 0;
  }

  private Long memoryBytes() throws IOException {
    VmPlacement vm = placement.value();
    return vm == null ? null : vm.memoryBytes;
  }
}
