package io.reshape.jobs.planner;

import io.reshape.planner.CellRecord;
import io.reshape.planner.CellStore;
import io.reshape.planner.HostRecord;
import io.reshape.planner.PairRecord;
import io.reshape.planner.PlannerInput;
import io.reshape.planner.VmRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A cell's records in Flink keyed state, the key being the cell: one map entry per VM, host and
 * pair, so that an input reads and writes one small entry, not the whole cell.
 */
final class FlinkCellStore implements CellStore {

  private final MapState<String, VmRecord> vms;
  private final MapState<String, HostRecord> hosts;
  private final MapState<String, PairRecord> pairs;
  private final ValueState<CellRecord> cell;
  private final ListState<PlannerInput> buffer;

  FlinkCellStore(RuntimeContext context) {
    vms = context.getMapState(new MapStateDescriptor<>("vms", Types.STRING, TypeInformation.of(VmRecord.class)));
    hosts = context.getMapState(new MapStateDescriptor<>("hosts", Types.STRING, TypeInformation.of(HostRecord.class)));
    pairs = context.getMapState(new MapStateDescriptor<>("pairs", Types.STRING, TypeInformation.of(PairRecord.class)));
    cell = context.getState(new ValueStateDescriptor<>("cell", TypeInformation.of(CellRecord.class)));
    buffer = context.getListState(new ListStateDescriptor<>("inputs", TypeInformation.of(PlannerInput.class)));
  }

  @Override
  public VmRecord vm(String vmId) throws Exception {
    return vms.get(vmId);
  }

  @Override
  public void putVm(VmRecord vm) throws Exception {
    vms.put(vm.vmId, vm);
  }

  @Override
  public void removeVm(String vmId) throws Exception {
    vms.remove(vmId);
  }

  @Override
  public Iterable<VmRecord> vms() throws Exception {
    return vms.values();
  }

  @Override
  public HostRecord host(String hostId) throws Exception {
    return hosts.get(hostId);
  }

  @Override
  public void putHost(HostRecord host) throws Exception {
    hosts.put(host.hostId, host);
  }

  @Override
  public void removeHost(String hostId) throws Exception {
    hosts.remove(hostId);
  }

  @Override
  public Iterable<HostRecord> hosts() throws Exception {
    return hosts.values();
  }

  @Override
  public PairRecord pair(String pairKey) throws Exception {
    return pairs.get(pairKey);
  }

  @Override
  public void putPair(PairRecord pair) throws Exception {
    pairs.put(pair.vmA + "|" + pair.vmB, pair);
  }

  @Override
  public void removePair(String pairKey) throws Exception {
    pairs.remove(pairKey);
  }

  @Override
  public Iterable<PairRecord> pairs() throws Exception {
    return pairs.values();
  }

  @Override
  public CellRecord cell() throws Exception {
    return cell.value();
  }

  @Override
  public void putCell(CellRecord record) throws Exception {
    cell.update(record);
  }

  @Override
  public void buffer(PlannerInput input) throws Exception {
    buffer.add(input);
  }

  @Override
  public List<PlannerInput> buffered() throws Exception {
    List<PlannerInput> all = new ArrayList<>();
    buffer.get().forEach(all::add);
    return all;
  }

  @Override
  public void rebuffer(List<PlannerInput> inputs) throws Exception {
    buffer.update(inputs);
  }
}
