package io.reshape.planner;

import io.reshape.events.Actuation;
import io.reshape.events.Affinity;
import io.reshape.events.Footprint;
import io.reshape.events.GenerationDiff;
import io.reshape.events.HostInventory;
import io.reshape.events.HostSharing;
import io.reshape.events.IdlenessPrediction;
import io.reshape.events.InventoryRecord;
import io.reshape.events.SharingEstimate;
import io.reshape.events.VmInventory;
import io.reshape.events.WrittenSet;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.Micros;
import java.util.Comparator;

/**
 * One record the planner reads, from whichever topic, with its event time and the cell it
 * concerns. Inputs are applied to a cell in a fixed order (event time, then kind, then key), not
 * in the order they arrived, so that a replay sees the same cell at every cycle. A Flink POJO:
 * exactly one of the record fields is set.
 */
public class PlannerInput {

  /** What the input is; also the order among inputs of the same event time. */
  public enum Kind { HOST, HOST_GONE, VM, VM_GONE, FOOTPRINT, IDLENESS, WRITTEN_SET, REUSE, AFFINITY, SHARING, HOST_SHARING, ACTUATION }

  /** The order inputs are applied in. */
  public static final Comparator<PlannerInput> ORDER = Comparator.comparingLong((PlannerInput i) -> i.eventMicros)
      .thenComparing(i -> i.kind).thenComparing(i -> i.key);

  public Kind kind;
  public long eventMicros;
  /** The entity it is about: host id, VM id, or pair {@code vmA|vmB}. */
  public String key;
  /** The cell it was routed to. */
  public String cellId;

  public HostInventory host;
  public VmInventory vm;
  public Footprint footprint;
  public IdlenessPrediction idleness;
  public WrittenSet writtenSet;
  public GenerationDiff reuse;
  public Affinity affinity;
  public SharingEstimate sharing;
  public HostSharing hostSharing;
  public Actuation actuation;

  public PlannerInput() {}

  private static PlannerInput of(Kind kind, long eventMicros, String key) {
    PlannerInput input = new PlannerInput();
    input.kind = kind;
    input.eventMicros = eventMicros;
    input.key = key;
    return input;
  }

  /** An inventory record under its key; a tombstone (null value) says the entity is gone. */
  public static PlannerInput inventory(String inventoryKey, InventoryRecord record, long eventMicros) {
    String vmId = InventoryKeys.vmIdOf(inventoryKey).orElse(null);
    if (record == null) {
      return vmId != null ? of(Kind.VM_GONE, eventMicros, vmId)
          : of(Kind.HOST_GONE, eventMicros, InventoryKeys.hostIdOf(inventoryKey).orElse(inventoryKey));
    }
    long at = Micros.of(record.getObservedAt());
    if (record.getEntity() instanceof VmInventory v) {
      PlannerInput input = of(Kind.VM, at, v.getVmId());
      input.vm = v;
      return input;
    }
    HostInventory h = (HostInventory) record.getEntity();
    PlannerInput input = of(Kind.HOST, at, h.getHostId());
    input.host = h;
    return input;
  }

  public static PlannerInput of(Footprint f) {
    PlannerInput input = of(Kind.FOOTPRINT, Micros.of(f.getComputedAt()), f.getVmId());
    input.footprint = f;
    return input;
  }

  public static PlannerInput of(IdlenessPrediction p) {
    PlannerInput input = of(Kind.IDLENESS, Micros.of(p.getObservedAt()), p.getVmId());
    input.idleness = p;
    return input;
  }

  public static PlannerInput of(WrittenSet w) {
    PlannerInput input = of(Kind.WRITTEN_SET, Micros.of(w.getComputedAt()), w.getVmId());
    input.writtenSet = w;
    return input;
  }

  public static PlannerInput of(GenerationDiff d) {
    PlannerInput input = of(Kind.REUSE, Micros.of(d.getComputedAt()), d.getVmId() + "@" + d.getCandidateHostId());
    input.reuse = d;
    return input;
  }

  public static PlannerInput of(Affinity a) {
    PlannerInput input = of(Kind.AFFINITY, Micros.of(a.getComputedAt()), a.getVmA() + "|" + a.getVmB());
    input.affinity = a;
    return input;
  }

  public static PlannerInput of(SharingEstimate s) {
    PlannerInput input = of(Kind.SHARING, Micros.of(s.getComputedAt()), s.getVmA() + "|" + s.getVmB());
    input.sharing = s;
    return input;
  }

  public static PlannerInput of(HostSharing s) {
    PlannerInput input = of(Kind.HOST_SHARING, Micros.of(s.getComputedAt()), s.getHostId());
    input.hostSharing = s;
    return input;
  }

  /** An outcome: its event time is the decision's, which the planner's watermark has passed; see {@link CellBook}. */
  public static PlannerInput of(Actuation a) {
    PlannerInput input = of(Kind.ACTUATION, Micros.of(a.getDecidedAt()),
        a.getDecisionId() + "@" + a.getHostId() + "@" + a.getOutcome());
    input.actuation = a;
    return input;
  }

  /** The VM the input concerns, or null for host and pair inputs. */
  public String vmId() {
    return switch (kind) {
      case VM, VM_GONE, FOOTPRINT, IDLENESS, WRITTEN_SET -> key;
      case REUSE -> reuse.getVmId();
      case ACTUATION -> actuation.getVmId();
      default -> null;
    };
  }

  /** The host the input names, or null when it names none. */
  public String hostId() {
    return switch (kind) {
      case HOST, HOST_GONE, HOST_SHARING -> key;
      case VM -> vm.getHostId();
      case FOOTPRINT -> footprint.getHostId();
      case IDLENESS -> idleness.getHostId();
      case WRITTEN_SET -> writtenSet.getHostId();
      case ACTUATION -> actuation.getHostId();
      default -> null;
    };
  }
}
