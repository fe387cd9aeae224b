package io.reshape.collectors.host;

import io.reshape.collectors.Sample;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.ProcFs;
import io.reshape.host.QemuDiscovery;
import io.reshape.host.TestGuest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;


/** Real QEMU guests appear in the inventory when they start and leave it when they are killed. */
@Timeout(120)
class DiscoveryIT {

  @TempDir
  Path dir;

  private List<String> keys(List<Sample<?>> changes, boolean tombstones) {
    return changes.stream().filter(s -> (s.value() == null) == tombstones).map(Sample::key).filter(k -> k.startsWith("vm:disc-")).toList();
  }

  @Test
  void guestsAppearWhenTheyStartAndVanishWhenKilled() throws Exception {
    QemuDiscovery discovery = new QemuDiscovery(ProcFs.system());
    HostProbe probe = HostProbe.system();
    InventoryTracker tracker = new InventoryTracker("host-it");
    try (TestGuest a = TestGuest.boot("disc-a", 2, dir)) {
      List<DiscoveredVm> found = discovery.scan();
      assertThat(found).filteredOn(vm -> vm.vmId().equals("disc-a")).singleElement().satisfies(vm -> {
        assertThat(vm.pid()).isEqualTo(a.vm().pid());
        assertThat(vm.commandLine().vcpus()).isEqualTo(2);
        assertThat(vm.commandLine().memoryBytes()).isEqualTo(64L << 20);
        assertThat(vm.monitored()).contains(a.vm());
      });
      assertThat(keys(tracker.update(probe.inventory("host-it"), discovery.scan(), Map.of(), Instant.now()), false)).containsExactly("vm:disc-a");

      try (TestGuest b = TestGuest.boot("disc-b", 1, dir)) {
        assertThat(keys(tracker.update(probe.inventory("host-it"), discovery.scan(), Map.of(), Instant.now()), false)).containsExactly("vm:disc-b");
      }
      List<Sample<?>> afterKill = tracker.update(probe.inventory("host-it"), discovery.scan(), Map.of(), Instant.now());
      assertThat(keys(afterKill, true)).containsExactly("vm:disc-b");
      assertThat(keys(afterKill, false)).isEmpty();
    }
  }
}
