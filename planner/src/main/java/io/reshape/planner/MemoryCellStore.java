package io.reshape.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A cell's records in this process's memory: for the offline evaluator and for tests. */
public final class MemoryCellStore implements CellStore {

  private final Map<String, VmRecord> vms = new TreeMap<>();
  private final Map<String, HostRecord> hosts = new TreeMap<>();
  private final Map<String, PairRecord> pairs = new TreeMap<>();
  private final List<PlannerInput> buffer = new ArrayList<>();
  private CellRecord cell;

  @Override
  public VmRecord vm(String vmId) {
    return vms.get(vmId);
  }

  @Override
  public void putVm(VmRecord vm) {
    vms.put(vm.vmId, vm);
  }

  @Override
  public void removeVm(String vmId) {
    vms.remove(vmId);
  }

  @Override
  public Iterable<VmRecord> vms() {
    return vms.values();
  }

  @Override
  public HostRecord host(String hostId) {
    return hosts.get(hostId);
  }

  @Override
  public void putHost(HostRecord host) {
    hosts.put(host.hostId, host);
  }

  @Override
  public void removeHost(String hostId) {
    hosts.remove(hostId);
  }

  @Override
  public Iterable<HostRecord> hosts() {
    return hosts.values();
  }

  @Override
  public PairRecord pair(String pairKey) {
    return pairs.get(pairKey);
  }

  @Override
  public void putPair(PairRecord pair) {
    pairs.put(pair.vmA + "|" + pair.vmB, pair);
  }

  @Override
  public void removePair(String pairKey) {
    pairs.remove(pairKey);
  }

  @Override
  public Iterable<PairRecord> pairs() {
    return pairs.values();
  }

  @Override
  public CellRecord cell() {
    return cell;
  }

  @Override
  public void putCell(CellRecord cell) {
    this.cell = cell;
  }

  @Override
  public void buffer(PlannerInput input) {
    buffer.add(input);
  }

  @Override
  public List<PlannerInput> buffered() {
    return new ArrayList<>(buffer);
  }

  @Override
  public void rebuffer(List<PlannerInput> inputs) {
    buffer.clear();
    buffer.addAll(inputs);
  }
}
