package io.reshape.planner;

import io.reshape.events.Action;
import io.reshape.events.Benefit;

/**
 * Same-page merging: KSM is turned on where the VMs a host holds have enough identical pages
 * (the sharing job's estimate), and off where it would merge less than a quarter of that: scanning
 * costs CPU. A host is not asked again for what it was last asked.
 */
final class KsmLever implements Lever {

  @Override
  public String name() {
    return "ksm";
  }

  @Override
  public void plan(Cycle cycle) {
    long threshold = cycle.settings.ksmOnBytes();
    for (int h = 0; h < cycle.placement.hostCount(); h++) {
      HostRecord host = cycle.placement.host(h);
      if (host.mergeableBytes < 0 || !cycle.placement.active(h)) {
        continue;
      }
      cycle.considered();
      boolean on = host.ksmWanted != null ? host.ksmWanted : host.ksmEnabled;
      if (!on && host.mergeableBytes >= threshold) {
        host.ksmWanted = true;
        cycle.actOnHost(Action.ENABLE_KSM, host, "The VMs on " + host.hostId + " hold " + host.mergeableBytes
            + " bytes KSM can merge, at least " + threshold, new Benefit(host.mergeableBytes, 0, 0.0, host.mergeableBytes / 4096),
            cycle.settings.costs().memory(host.mergeableBytes, cycle.settings.costs().horizon()));
      } else if (on && host.mergeableBytes < threshold / 4) {
        host.ksmWanted = false;
        cycle.actOnHost(Action.DISABLE_KSM, host, "The VMs on " + host.hostId + " hold only " + host.mergeableBytes
            + " bytes KSM can merge, under a quarter of " + threshold + ": scanning costs more than it saves",
            new Benefit(0L, 0, 0.0, 0L), 0);
      }
    }
  }
}
