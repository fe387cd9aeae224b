package io.reshape.jobs.planner;

import io.reshape.events.Decision;
import io.reshape.events.GenerationRequest;
import io.reshape.events.Plan;
import io.reshape.planner.CellBook;
import io.reshape.planner.Planner;
import io.reshape.planner.PlannerInput;
import io.reshape.planner.PlannerSettings;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The planner on one cell per key: every input goes to the cell's {@link CellBook}, and the cycles
 * it lets through run when event time reaches them or when the feedback they waited for arrives.
 * Decisions are the main output; plan records and questions for the page-generations job are side
 * outputs.
 */
public class PlanCells extends KeyedProcessFunction<String, PlannerInput, Decision> {

  private static final long serialVersionUID = 1L;

  public static final OutputTag<Plan> PLANS = new OutputTag<>("plans") { };
  public static final OutputTag<GenerationRequest> REQUESTS = new OutputTag<>("generation-requests") { };

  private final PlannerSettings settings;
  private transient CellBook book;

  public PlanCells(PlannerSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    book = new CellBook(new FlinkCellStore(getRuntimeContext()), new Planner(settings));
  }

  @Override
  public void processElement(PlannerInput input, Context ctx, Collector<Decision> out) throws Exception {
    book.offer(input);
    long watermark = micros(ctx.timerService().currentWatermark());
    emit(book.runDue(watermark), ctx, out);
    wakeUp(ctx.timerService(), watermark);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Decision> out) throws Exception {
    long watermark = micros(Math.max(timestamp, ctx.timerService().currentWatermark()));
    emit(book.runDue(watermark), ctx, out);
    wakeUp(ctx.timerService(), watermark);
  }

  /** A timer at the first millisecond the book needs event time to reach (rounded up, so never before it). */
  private void wakeUp(TimerService timers, long watermarkMicros) throws Exception {
    timers.registerEventTimeTimer(Math.floorDiv(book.wakeUpMicros(watermarkMicros) + 999, 1000));
  }

  /** Event time in microseconds; no watermark yet is none at all. */
  private static long micros(long millis) {
    return millis == Long.MIN_VALUE ? Long.MIN_VALUE : Math.multiplyExact(millis, 1000);
  }

  private static void emit(Iterable<Planner.Result> results, Context ctx, Collector<Decision> out) {
    for (Planner.Result result : results) {
      result.decisions().forEach(out::collect);
      ctx.output(PLANS, result.plan());
      result.requests().forEach(r -> ctx.output(REQUESTS, r));
    }
  }
}
