package io.reshape.jobs.generations;

import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.DirtyPages;
import io.reshape.events.GenerationRequest;
import io.reshape.events.Outcome;
import io.reshape.jobs.inventory.VmPlacement;
import io.reshape.schemas.Micros;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Anything that changes or asks about a VM's page generations, in one type so one operator can
 * take them in event-time order: a Flink POJO. Kinds sort in the order they apply at one instant.
 */
public class MemoryEvent {

  /** What happened; at equal timestamps, placements apply before writes, and questions come last. */
  public enum Kind { PLACED, LEFT, GONE, WRITTEN, ASKED }

  public Kind kind;
  public String vmId;
  /** PLACED: where it runs now; LEFT: where it left; WRITTEN: where it ran; ASKED: the candidate. */
  public String hostId;
  /** The event's time, microseconds. */
  public long atMicros;
  /** WRITTEN: the interval's start, microseconds (its end is atMicros). */
  public long startMicros;
  public int pageCount;
  public int pageSize;
  public int dirtyCount;
  /** WRITTEN: the Roaring bitmap as published; null for a rate. */
  public byte[] bitmap;
  /** PLACED: guest RAM, bytes. */
  public long memoryBytes;

  public MemoryEvent() {}

  public static MemoryEvent written(DirtyPages d) {
    MemoryEvent e = of(Kind.WRITTEN, d.getVmId(), d.getHostId(), Micros.of(d.getIntervalEnd()));
    e.startMicros = Micros.of(d.getIntervalStart());
    e.pageCount = d.getPageCount();
    e.pageSize = d.getPageSize();
    e.dirtyCount = d.getDirtyCount();
    if (d.getBitmap() != null) {
      ByteBuffer bytes = d.getBitmap().duplicate();
      e.bitmap = new byte[bytes.remaining()];
      bytes.get(e.bitmap);
    }
    return e;
  }

  /** A VM record of the inventory (at the record's event time), or its tombstone. */
  public static MemoryEvent placed(VmPlacement placement, long timestampMillis) {
    MemoryEvent e = of(placement.present ? Kind.PLACED : Kind.GONE, placement.vmId, placement.hostId, timestampMillis * 1000);
    e.memoryBytes = placement.memoryBytes;
    return e;
  }

  /** A migration that was carried out: the VM left the host it ran on. Other actuations say nothing here. */
  public static Optional<MemoryEvent> left(Actuation a) {
    if (a.getAction() != Action.MIGRATE || a.getOutcome() != Outcome.APPLIED || a.getVmId() == null) {
      return Optional.empty();
    }
    return Optional.of(of(Kind.LEFT, a.getVmId(), a.getHostId(), Micros.of(a.getFinishedAt())));
  }

  public static MemoryEvent asked(GenerationRequest r) {
    return of(Kind.ASKED, r.getVmId(), r.getCandidateHostId(), Micros.of(r.getRequestedAt()));
  }

  private static MemoryEvent of(Kind kind, String vmId, String hostId, long atMicros) {
    MemoryEvent e = new MemoryEvent();
    e.kind = kind;
    e.vmId = vmId;
    e.hostId = hostId;
    e.atMicros = atMicros;
    return e;
  }

}
