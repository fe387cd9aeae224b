package io.reshape.planner;

import java.util.List;

/**
 * Where a cell's records live: maps in memory for the offline evaluator, Flink keyed state in the
 * planner job. Methods may throw, as state backends do.
 */
public interface CellStore {

  VmRecord vm(String vmId) throws Exception;

  void putVm(VmRecord vm) throws Exception;

  void removeVm(String vmId) throws Exception;

  Iterable<VmRecord> vms() throws Exception;

  HostRecord host(String hostId) throws Exception;

  void putHost(HostRecord host) throws Exception;

  void removeHost(String hostId) throws Exception;

  Iterable<HostRecord> hosts() throws Exception;

  PairRecord pair(String pairKey) throws Exception;

  void putPair(PairRecord pair) throws Exception;

  void removePair(String pairKey) throws Exception;

  Iterable<PairRecord> pairs() throws Exception;

  /** The cell's own record; null before the cell's first input. */
  CellRecord cell() throws Exception;

  void putCell(CellRecord cell) throws Exception;

  /** Keeps an input for the cycle its event time belongs to. */
  void buffer(PlannerInput input) throws Exception;

  /** Every input kept; {@link #rebuffer} puts back those not applied yet. */
  List<PlannerInput> buffered() throws Exception;

  void rebuffer(List<PlannerInput> inputs) throws Exception;
}
