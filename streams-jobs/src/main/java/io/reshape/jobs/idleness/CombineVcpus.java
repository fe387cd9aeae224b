package io.reshape.jobs.idleness;

import io.reshape.events.QuantumSample;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sums the samples of a VM's vCPUs for each interval and emits the interval once the watermark
 * says no more of its samples can come, whatever order they arrived in. Keyed by VM id.
 */
public class CombineVcpus extends KeyedProcessFunction<String, QuantumSample, VmInterval> {

  private static final long serialVersionUID = 1L;

  private transient MapState<Long, VmInterval> open;

  @Override
  public void open(OpenContext context) {
    open = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("open-intervals", Types.LONG, TypeInformation.of(VmInterval.class)));
  }

  @Override
  public void processElement(QuantumSample sample, Context ctx, Collector<VmInterval> out) throws Exception {
    // The record timestamp is the interval's end (checked when decoding).
    long end = ctx.timestamp();
    VmInterval interval = open.get(end);
    if (interval == null) {
      interval = VmInterval.of(sample);
      ctx.timerService().registerEventTimeTimer(end);
    } else {
      interval.add(sample);
    }
    open.put(end, interval);
  }

  @Override
  public void onTimer(long end, OnTimerContext ctx, Collector<VmInterval> out) throws Exception {
    VmInterval interval = open.get(end);
    if (interval != null) {
      open.remove(end);
      out.collect(interval);
    }
  }
}
