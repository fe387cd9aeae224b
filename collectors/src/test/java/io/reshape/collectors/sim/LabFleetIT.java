package io.reshape.collectors.sim;

import io.reshape.collectors.Sample;
import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.events.InventoryRecord;
import io.reshape.events.VmInventory;
import io.reshape.host.HostRequirements;
import io.reshape.host.lab.KvmLabVm;
import io.reshape.schemas.PageBitmaps;
import io.reshape.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roaringbitmap.RoaringBitmap;
import static org.assertj.core.api.Assertions.assertThat;


/** Lab VMs in the demo fleet: their workloads' writes really happen under KVM, and KVM's log is what is published. */
@Timeout(60)
class LabFleetIT {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void labVmsPublishKvmsOwnDirtyLog() {
    HostRequirements.require(KvmLabVm.usable(), "needs read-write access to /dev/kvm, to run lab VMs through KVM ioctls");
    try (SimulatedFleet fleet = new SimulatedFleet(new FleetSpec(1, 1, Map.of(Workload.IDLE, 1.0), Duration.ofMinutes(10), 3, 4, Duration.ZERO))) {
      assertThat(fleet.hostCount()).isEqualTo(2);
      assertThat(fleet.vmCount()).isEqualTo(5);
      List<VmInventory> lab = fleet.inventory(START).stream()
          .map(s -> ((InventoryRecord) s.value()).getEntity()).filter(VmInventory.class::isInstance).map(VmInventory.class::cast)
          .filter(vm -> vm.getHostId().equals("lab-01")).toList();
      assertThat(lab).extracting(VmInventory::getVmId).containsExactly("lab-01-01", "lab-01-02", "lab-01-03", "lab-01-04");
      assertThat(lab).allSatisfy(vm -> {
        assertThat(vm.getMemoryBytes()).isEqualTo((long) KvmLabVm.MAX_PAGES * KvmLabVm.PAGE_SIZE);
        assertThat(vm.getLabels()).containsEntry("memory", "kvm-lab");
      });

      List<Sample<?>> samples = new ArrayList<>();
      for (int s = 0; s < 20; s++) {
        samples.addAll(fleet.tick(START.plusSeconds(s), START.plusSeconds(s + 1)));
      }
      List<DirtyPages> labPages = samples.stream().filter(s -> s.topic() == Topics.DIRTY_PAGES && s.key().startsWith("lab-01-"))
          .map(s -> (DirtyPages) s.value()).toList();
      assertThat(labPages).hasSize(4 * 20).allSatisfy(d -> {
        assertThat(d.getSource()).isEqualTo(DirtyPageSource.KVM_DIRTY_LOG);
        assertThat(d.getPageCount()).isEqualTo(KvmLabVm.MAX_PAGES);
        RoaringBitmap pages = PageBitmaps.decode(d.getBitmap(), d.getPageCount());
        assertThat(pages.getCardinality()).isEqualTo(d.getDirtyCount());
        if (!pages.isEmpty()) {
          assertThat(pages.first()).as("the program's own pages are never written").isGreaterThanOrEqualTo(KvmLabVm.FIRST_WRITABLE_PAGE);
        }
      });
      // lab-01-02 runs the steady workload: it writes every few seconds at least.
      assertThat(labPages.stream().filter(d -> d.getVmId().equals("lab-01-02")).mapToInt(DirtyPages::getDirtyCount).sum()).isPositive();
    }
  }
}
