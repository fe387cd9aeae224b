package io.reshape.jobs.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Records that name a VM or host the inventory does not list yet, held by VM in the order they
 * came. A collector announces a VM before it writes of it, but the inventory and the signals are
 * read apart, so a new VM's first records can come first; they wait for it. A VM's later records
 * wait behind its held ones, so that it keeps its order. One that waited out its grace, in event
 * time and on the wall clock both (a backlog read at speed moves event time faster than the
 * inventory may arrive), names something that does not exist.
 */
public final class HeldRecords {

  private final Map<String, ArrayDeque<HeldRecord>> byVm = new LinkedHashMap<>();
  private int size;

  public boolean isEmpty() {
    return size == 0;
  }

  public int size() {
    return size;
  }

  /** Whether records of {@code vmId} are held, so that one more of it must wait behind them. */
  public boolean holds(String vmId) {
    return byVm.containsKey(vmId);
  }

  public void hold(HeldRecord held) {
    byVm.computeIfAbsent(held.vmId, vm -> new ArrayDeque<>()).add(held);
    size++;
  }

  /** Takes out, in each VM's order, the records at its head that {@code listed} now accepts. */
  public List<HeldRecord> release(Predicate<HeldRecord> listed) {
    List<HeldRecord> released = new ArrayList<>();
    takeHeads(h -> listed.test(h) && released.add(h));
    return released;
  }

  /**
   * Takes out what has to go, in each VM's order: the records at its head that {@code listed} now
   * accepts, to let through, and those still not listed whose grace is over, to refuse.
   */
  public Outcome settle(Predicate<HeldRecord> listed, long watermark, long nowMillis, long graceMillis) {
    List<HeldRecord> released = new ArrayList<>();
    List<HeldRecord> refused = new ArrayList<>();
    takeHeads(h -> {
      if (listed.test(h)) {
        released.add(h);
        return true;
      }
      if (h.eventTime() + graceMillis <= watermark && h.heldSince + graceMillis <= nowMillis) {
        refused.add(h);
        return true;
      }
      return false;
    });
    return new Outcome(released, refused);
  }

  /** What {@link #settle} took out: records to let through and records to refuse, each in their VM's order. */
  public record Outcome(List<HeldRecord> released, List<HeldRecord> refused) {}

  /** All held records, for a checkpoint. */
  public List<HeldRecord> all() {
    List<HeldRecord> all = new ArrayList<>(size);
    byVm.values().forEach(all::addAll);
    return all;
  }

  private void takeHeads(Predicate<HeldRecord> take) {
    Iterator<ArrayDeque<HeldRecord>> vms = byVm.values().iterator();
    while (vms.hasNext()) {
      ArrayDeque<HeldRecord> queue = vms.next();
      while (!queue.isEmpty() && take.test(queue.peekFirst())) {
        queue.pollFirst();
        size--;
      }
      if (queue.isEmpty()) {
        vms.remove();
      }
    }
  }
}
