package io.reshape.planner;

import io.reshape.events.Action;
import io.reshape.events.Benefit;
import io.reshape.events.Cost;
import io.reshape.schemas.Micros;
import java.time.Duration;
import java.util.Map;

/**
 * Paging, after "hundreds of VMs": a VM predicted to stay idle long enough to pay for being paged
 * out and swapped back in is paged out, its recent written set kept resident; a paged-out VM is
 * swapped back in before its predicted wake-up, by a lead time learnt from the swap-ins measured so
 * far, and at once if it woke anyway.
 */
final class PagingLever implements Lever {

  /** What swap reads and writes, bytes per second: one SSD. */
  static final double SWAP_BYTES_PER_SECOND = 500e6;
  /** Share of a VM's memory kept resident when its written set is not known. */
  static final double ASSUMED_RESIDENT_SHARE = 0.25;

  @Override
  public String name() {
    return "paging";
  }

  @Override
  public void plan(Cycle cycle) {
    for (VmRecord vm : cycle.cell.vms()) {
      if (!cycle.placement.placed(vm) || vm.hasPending()) {
        continue;
      }
      if (vm.pagedOut) {
        swapInWhenDue(cycle, vm);
      } else if (vm.idle()) {
        cycle.considered();
        pageOutWhenWorth(cycle, vm);
      }
    }
  }

  private void swapInWhenDue(Cycle cycle, VmRecord vm) {
    cycle.considered();
    long bytes = vm.memoryBytes - vm.residentBytes;
    Benefit benefit = new Benefit(-bytes, 0, 0.0, 0L);
    Cost cost = new Cost(bytes, 0L, 0L);
    if (!vm.idle()) {
      String noRoom = noRoomToSwapIn(cycle, vm);
      if (noRoom != null) {
        // Swapped in where it sits, it would overload its host: overload relief moves it, or others, first.
        cycle.leave(vm.vmId, "active again while paged out, but " + noRoom + ": it is swapped in once its host has room, or where it is moved");
        return;
      }
      cycle.act(Action.SWAP_IN, vm, Map.of(), "Active again while paged out: its memory comes back now", benefit, cost, 0);
      return;
    }
    // An outlived prediction says nothing more of when the VM wakes: it comes back when it does.
    Duration lead = lead(cycle);
    if (vm.predictedWakeMicros > cycle.nowMicros()
        && cycle.nowMicros() + micros(lead.plus(cycle.settings.cycle())) >= vm.predictedWakeMicros) {
      String noRoom = noRoomToSwapIn(cycle, vm);
      if (noRoom != null) {
        cycle.leave(vm.vmId, "predicted to wake at " + Micros.instant(vm.predictedWakeMicros) + ", but " + noRoom);
        return;
      }
      cycle.act(Action.SWAP_IN, vm, Map.of(), "Predicted to wake at " + Micros.instant(vm.predictedWakeMicros)
          + "; swapped in " + lead.toSeconds() + " s ahead (the lead time), before the next cycle would be too late",
          benefit, cost, 0);
    }
  }

  /** Why the VM's host cannot take its memory and its CPU back; null when it can. */
  private static String noRoomToSwapIn(Cycle cycle, VmRecord vm) {
    Placement placement = cycle.placement;
    int h = placement.hostOf(vm);
    HostRecord host = placement.host(h);
    if (placement.share(h) > cycle.settings.overloadShare()) {
      return "host " + host.hostId + " is forecast at " + Destinations.percent(placement.share(h)) + " of its CPU";
    }
    if (cycle.settings.enforceMemory() && placement.memory(h) - vm.memoryNeeded() + vm.memoryBytes > host.memoryBytes) {
      return "host " + host.hostId + " has not the RAM for its " + vm.memoryBytes + " bytes";
    }
    return null;
  }

  /** How far ahead of a wake-up a swap-in starts: twice the measured swap-ins, or the configured lead until some are measured. */
  static Duration lead(Cycle cycle) {
    CellRecord cell = cycle.cell.memory();
    return cell.swapInsMeasured == 0
        ? cycle.settings.swapInLead()
        : Duration.ofMillis(Math.round(2 * cell.swapInMillis));
  }

  /** Without a prediction, or once it is outlived, an idle period is expected to last as long again; how sure, nobody knows. */
  static final double UNPREDICTED_CONFIDENCE = 0.5;

  private void pageOutWhenWorth(Cycle cycle, VmRecord vm) {
    PlannerSettings settings = cycle.settings;
    boolean predicted = vm.predictedWakeMicros > cycle.nowMicros();
    long remainingMicros = predicted ? vm.predictedWakeMicros - cycle.nowMicros() : cycle.nowMicros() - vm.idleSinceMicros;
    double confidence = predicted ? vm.idleConfidence : UNPREDICTED_CONFIDENCE;
    String outlook = predicted
        ? "predicted to stay idle until " + Micros.instant(vm.predictedWakeMicros) + " (confidence " + round(confidence) + ")"
        : "expected to stay idle as long again (" + (remainingMicros / 1_000_000) + " s: no prediction, or it was outlived)";
    Duration remaining = Duration.ofNanos(remainingMicros * 1000);
    if (remaining.compareTo(settings.pageOutMinIdle()) < 0) {
      cycle.leave(vm.vmId, "idle, " + outlook + ", under the " + settings.pageOutMinIdle().toSeconds()
          + " s that pay for a page-out and swap-in");
      return;
    }
    if (confidence < settings.pageOutMinConfidence()) {
      cycle.leave(vm.vmId, "idle, but the prediction's confidence " + round(confidence) + " is under " + settings.pageOutMinConfidence());
      return;
    }
    boolean known = vm.writtenSetBytes >= 0;
    long resident = known ? Math.min(vm.writtenSetBytes, vm.memoryBytes) : Math.round(vm.memoryBytes * ASSUMED_RESIDENT_SHARE);
    long freed = vm.memoryBytes - resident;
    CostModel costs = settings.costs();
    double swapInSeconds = freed / SWAP_BYTES_PER_SECOND;
    double value = costs.memory(freed, remaining) * confidence
        - costs.swap(2.0 * freed)
        - costs.wakeStall(swapInSeconds) * (1 - confidence);
    if (value <= 0) {
      cycle.leave(vm.vmId, "paging " + freed + " bytes out for " + remaining.toSeconds() + " s is worth less than moving them twice");
      return;
    }
    cycle.placement.resize(vm, resident);
    vm.residentBytes = resident;
    cycle.act(Action.PAGE_OUT, vm, Map.of("residentBytes", Long.toString(resident)),
        "Idle since " + Micros.instant(vm.idleSinceMicros) + ", " + outlook + "; keeps " + resident + " bytes resident ("
            + (known ? "its recent written set" : "a quarter of its memory: its written set is not known") + ")",
        new Benefit(freed, 0, 0.0, 0L), new Cost(freed, 0L, Math.round(swapInSeconds * 1000)), value);
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1000;
  }

  private static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }
}
