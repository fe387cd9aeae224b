package io.reshape.collectors.host;

import io.reshape.collectors.Sample;
import io.reshape.events.HostInventory;
import io.reshape.events.HostRole;
import io.reshape.events.InventoryRecord;
import io.reshape.events.VmInventory;
import io.reshape.events.VmNic;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.QemuCommandLine;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;


class InventoryTrackerTest {

  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
  private static final HostInventory HOST = HostInventory.newBuilder().setHostId("h1").setRole(HostRole.BARE_METAL)
      .setCores(2).setCoreMips(2000).setMemoryBytes(1L << 34).setSwapBytes(0).setKsmEnabled(false).setPricePerHour(0.0)
      .setLabels(Map.of()).build();

  private static DiscoveredVm vm(String id, long pid, int vcpus) {
    return new DiscoveredVm(id, pid, new QemuCommandLine(Optional.of(id), Optional.empty(), vcpus, 64L << 20, Optional.empty(), List.of()));
  }

  @Test
  void reportsWhatIsNewChangedOrGoneAndNothingElse() {
    InventoryTracker tracker = new InventoryTracker("h1");
    assertThat(tracker.update(HOST, List.of(vm("a", 10, 1), vm("b", 11, 1)), Map.of(), T)).extracting(Sample::key)
        .containsExactlyInAnyOrder("host:h1", "vm:a", "vm:b");
    assertThat(tracker.update(HOST, List.of(vm("a", 10, 1), vm("b", 11, 1)), Map.of(), T.plusSeconds(1))).isEmpty();

    List<Sample<?>> changes = tracker.update(HOST, List.of(vm("b", 11, 2), vm("c", 12, 1)), Map.of(), T.plusSeconds(2));
    assertThat(changes).extracting(Sample::key).containsExactlyInAnyOrder("vm:a", "vm:b", "vm:c");
    assertThat(changes).filteredOn(s -> s.key().equals("vm:a")).singleElement().satisfies(s -> assertThat(s.value()).isNull());
    assertThat(changes).filteredOn(s -> s.key().equals("vm:b")).singleElement()
        .satisfies(s -> assertThat(((VmInventory) ((InventoryRecord) s.value()).getEntity()).getVcpus()).isEqualTo(2));
  }

  @Test
  void anAddressSeenForTheFirstTimeIsAChange() {
    InventoryTracker tracker = new InventoryTracker("h1");
    VmNic unaddressed = new VmNic("52:54:00:00:00:01", "tap1", List.of());
    VmNic addressed = new VmNic("52:54:00:00:00:01", "tap1", List.of("10.0.0.2"));
    tracker.update(HOST, List.of(vm("a", 10, 1)), Map.of("a", List.of(unaddressed)), T);
    assertThat(tracker.update(HOST, List.of(vm("a", 10, 1)), Map.of("a", List.of(unaddressed)), T.plusSeconds(1))).isEmpty();

    List<Sample<?>> changes = tracker.update(HOST, List.of(vm("a", 10, 1)), Map.of("a", List.of(addressed)), T.plusSeconds(2));
    assertThat(changes).singleElement()
        .satisfies(s -> assertThat(((VmInventory) ((InventoryRecord) s.value()).getEntity()).getNics()).containsExactly(addressed));
  }
}
