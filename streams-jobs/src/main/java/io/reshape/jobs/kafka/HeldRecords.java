package io.reshape.jobs.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Records that name a VM or host the inventory does not list yet, held in the order they came by
 * VM and host. A collector announces a VM before it writes of it, but the inventory and the
 * signals are read apart, so a new VM's first records can come first; they wait for it. A VM's
 * later records from the same host wait behind its held ones, so that they keep their order
 * (records from another host, after a migration, have an order of their own). One that waited out
 * its grace on the wall clock names something that does not exist. (Not in event time: a backlog
 * read at speed moves event time faster than the inventory may arrive.)
 */
public final class HeldRecords {

  /** Held records by VM and host; a source with none held has no entry. */
  private final Map<String, ArrayDeque<HeldRecord>> bySource = new LinkedHashMap<>();

  public boolean isEmpty() {
    return bySource.isEmpty();
  }

  /** Whether records of {@code vmId} from {@code hostId} are held, so that one more must wait behind them. */
  public boolean holds(String vmId, String hostId) {
    return bySource.containsKey(source(vmId, hostId));
  }

  public void hold(HeldRecord held) {
    bySource.computeIfAbsent(source(held.vmId, held.hostId), vm -> new ArrayDeque<>()).add(held);
  }

  private static String source(String vmId, String hostId) {
    return vmId + "@" + hostId;
  }

  /** Takes out, in the order of each VM and host, the records at its head that {@code listed} now accepts. */
  public List<HeldRecord> release(Predicate<HeldRecord> listed) {
    List<HeldRecord> released = new ArrayList<>();
    takeHeads(h -> listed.test(h) && released.add(h));
    return released;
  }

  /**
   * Takes out what has to go, in the order of each VM and host: the records at its head that {@code listed} now
   * accepts, to let through, and those still not listed whose grace is over, to refuse.
   */
  public Outcome settle(Predicate<HeldRecord> listed, long nowMillis, long graceMillis) {
    List<HeldRecord> released = new ArrayList<>();
    List<HeldRecord> refused = new ArrayList<>();
    takeHeads(h -> {
      if (listed.test(h)) {
        released.add(h);
        return true;
      }
      if (h.heldSince + graceMillis <= nowMillis) {
        refused.add(h);
        return true;
      }
      return false;
    });
    return new Outcome(released, refused);
  }

  /** What {@link #settle} took out: records to let through and records to refuse, each in the order of their VM and host. */
  public record Outcome(List<HeldRecord> released, List<HeldRecord> refused) {}

  /** All held records, for a checkpoint. */
  public List<HeldRecord> all() {
    List<HeldRecord> all = new ArrayList<>();
    bySource.values().forEach(all::addAll);
    return all;
  }

  private void takeHeads(Predicate<HeldRecord> take) {
    Iterator<ArrayDeque<HeldRecord>> vms = bySource.values().iterator();
    while (vms.hasNext()) {
      ArrayDeque<HeldRecord> queue = vms.next();
      while (!queue.isEmpty() && take.test(queue.peekFirst())) {
        queue.pollFirst();
      }
      if (queue.isEmpty()) {
        vms.remove();
      }
    }
  }
}
