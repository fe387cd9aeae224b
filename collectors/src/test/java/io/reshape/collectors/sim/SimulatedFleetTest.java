package io.reshape.collectors.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.reshape.collectors.Sample;
import io.reshape.events.DirtyPages;
import io.reshape.events.InventoryRecord;
import io.reshape.events.QuantumSample;
import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import io.reshape.events.VmInventory;
import io.reshape.schemas.PageBitmaps;
import io.reshape.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class SimulatedFleetTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final SimulatedFleet fleet = new SimulatedFleet(
      new FleetSpec(2, 3, Map.of(Workload.IDLE, 1.0, Workload.STEADY, 1.0), Duration.ofMinutes(10), 7, 0, Duration.ZERO));

  private List<Sample<?>> run(int seconds) {
    List<Sample<?>> all = new ArrayList<>();
    for (int s = 0; s < seconds; s++) {
      all.addAll(fleet.tick(START.plusSeconds(s), START.plusSeconds(s + 1)));
    }
    return all;
  }

  private static <V extends org.apache.avro.specific.SpecificRecord> List<V> values(List<Sample<?>> samples, io.reshape.schemas.Topic<V> topic, String vmId) {
    return samples.stream().filter(s -> s.topic() == topic && s.key().equals(vmId)).map(s -> topic.valueType().cast(s.value())).toList();
  }

  @Test
  void idleVmsHaltAndBusyVmsRun() {
    List<Sample<?>> samples = run(10);
    String idle = fleet.vmsRunning(Workload.IDLE).get(0);
    String busy = fleet.vmsRunning(Workload.STEADY).get(0);
    assertThat(utilisation(values(samples, Topics.QUANTA, idle))).isLessThan(0.02);
    assertThat(haltShare(values(samples, Topics.QUANTA, idle))).isGreaterThan(0.9);
    assertThat(utilisation(values(samples, Topics.QUANTA, busy))).isCloseTo(0.55, within(0.1));
    long busyPreempted = values(samples, Topics.QUANTA, busy).stream().mapToLong(QuantumSample::getInvoluntarySwitches).sum();
    long idlePreempted = values(samples, Topics.QUANTA, idle).stream().mapToLong(QuantumSample::getInvoluntarySwitches).sum();
    assertThat(busyPreempted).isGreaterThan(10 * Math.max(1, idlePreempted));
  }

  @Test
  void everySampleIsStampedWithTheEndOfItsInterval() {
    List<Sample<?>> samples = fleet.tick(START, START.plusSeconds(1));
    assertThat(samples).allSatisfy(s -> assertThat(s.eventTime()).isEqualTo(START.plusSeconds(1)));
    assertThat(samples).filteredOn(s -> s.topic() == Topics.QUANTA).isNotEmpty();
  }

  @Test
  void dirtyBitmapsHoldExactlyTheCountedPagesOfTheVm() {
    List<Sample<?>> samples = run(3);
    String busy = fleet.vmsRunning(Workload.STEADY).get(0);
    List<DirtyPages> dirty = values(samples, Topics.DIRTY_PAGES, busy);
    assertThat(dirty).extracting(DirtyPages::getCollectorEpoch).containsExactly(1L, 2L, 3L);
    for (DirtyPages d : dirty) {
      RoaringBitmap pages = PageBitmaps.decode(d.getBitmap(), d.getPageCount());
      assertThat(pages.getCardinality()).isEqualTo(d.getDirtyCount()).isPositive();
      // A busy VM writes about 0.4% of its pages a second, mostly in its hot set.
      assertThat((double) d.getDirtyCount() / d.getPageCount()).isBetween(0.001, 0.005);
    }
  }

  @Test
  void eachVmFingerprintsAtOnceThenEveryTenSecondsAtAPhaseOfItsOwn() {
    Map<String, List<Instant>> scans = run(41).stream().filter(s -> s.topic() == Topics.PAGE_FINGERPRINTS)
        .collect(Collectors.groupingBy(s -> s.key(), Collectors.mapping(s -> s.eventTime(), Collectors.toList())));
    assertThat(scans).hasSize(6);
    scans.values().forEach(times -> {
      assertThat(times.get(0)).isEqualTo(START.plusSeconds(1));
      for (int i = 2; i < times.size(); i++) {
        assertThat(Duration.between(times.get(i - 1), times.get(i))).isEqualTo(Duration.ofSeconds(10));
      }
    });
    // The fleet's later scans spread over the interval rather than all landing in one instant.
    assertThat(scans.values().stream().map(times -> times.get(times.size() - 1).getEpochSecond() % 10).distinct().count())
        .isGreaterThan(1);
  }

  @Test
  void busyVmsTalkToTheirPeers() {
    List<Sample<?>> samples = run(2);
    String busy = fleet.vmsRunning(Workload.STEADY).get(0);
    List<TrafficSample> traffic = values(samples, Topics.TRAFFIC, busy);
    assertThat(traffic).anySatisfy(t -> assertThat(t.getDstVmId()).isNotNull());
    assertThat(traffic).anySatisfy(t -> assertThat(t.getDstEndpoint()).startsWith("203.0.113."));
    double flowBytesPerSecond = traffic.stream().filter(t -> t.getScope() == TrafficScope.FLOW).mapToLong(TrafficSample::getBytes).sum() / 2.0;
    assertThat(flowBytesPerSecond).isCloseTo(2e6, within(0.5e6));
    double nicBytesPerSecond = traffic.stream().filter(t -> t.getScope() == TrafficScope.NIC).mapToLong(TrafficSample::getBytes).sum() / 2.0;
    assertThat(nicBytesPerSecond).as("the tap counts the flows together").isCloseTo(flowBytesPerSecond, within(2.0));
  }


  @Test
  void everyVmReportsItsTapEveryIntervalEvenWhenSilent() {
    List<Sample<?>> samples = run(5);
    String idle = fleet.vmsRunning(Workload.IDLE).get(0);
    // A collector that said nothing would hold event time back for every job that reads traffic.
    assertThat(values(samples, Topics.TRAFFIC, idle)).filteredOn(t -> t.getScope() == TrafficScope.NIC).hasSize(5)
        .allSatisfy(t -> assertThat(t.getPackets()).isEqualTo(t.getBytes() == 0 ? 0 : Math.max(1, t.getBytes() / 900)));
  }
  @Test
  void aVmMovesToTheNextHostAndComesBackAtTheMoveAfter() {
    SimulatedFleet moving = new SimulatedFleet(
        new FleetSpec(2, 3, Map.of(Workload.IDLE, 1.0), Duration.ofMinutes(10), 7, 0, Duration.ofSeconds(5)));
    List<Sample<?>> samples = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      samples.addAll(moving.tick(START.plusSeconds(s), START.plusSeconds(s + 1)));
    }
    List<VmInventory> moves = samples.stream().filter(s -> s.topic() == Topics.INVENTORY)
        .map(s -> (VmInventory) ((InventoryRecord) s.value()).getEntity()).toList();
    assertThat(moves).extracting(VmInventory::getVmId, VmInventory::getHostId)
        .containsExactly(tuple("vm-01-01", "host-02"), tuple("vm-01-01", "host-01"));
    assertThat(moving.moves()).isEqualTo(2);
    assertThat(values(samples, Topics.DIRTY_PAGES, "vm-01-01").get(5).getHostId()).as("dirty pages from where it runs").isEqualTo("host-02");
  }

  @Test
  void inventoryListsEveryHostAndVm() {
    List<Sample<?>> inventory = fleet.inventory(START);
    assertThat(inventory).hasSize(fleet.hostCount() + fleet.vmCount());
    assertThat(inventory).extracting(Sample::key).contains("host:host-01", "vm:vm-01-01");
    VmInventory vm = (VmInventory) ((InventoryRecord) inventory.stream().filter(s -> s.key().equals("vm:vm-01-01"))
        .findFirst().orElseThrow().value()).getEntity();
    assertThat(vm.getHostId()).isEqualTo("host-01");
    assertThat(vm.getLabels()).containsKey("workload");
  }

  private static double utilisation(List<QuantumSample> samples) {
    return samples.stream().mapToDouble(s -> (double) s.getRunNs() / intervalNs(s)).average().orElseThrow();
  }

  private static double haltShare(List<QuantumSample> samples) {
    return samples.stream().mapToDouble(s -> (double) s.getHaltNs() / intervalNs(s)).average().orElseThrow();
  }

  private static long intervalNs(QuantumSample s) {
    return Duration.between(s.getIntervalStart(), s.getIntervalEnd()).toNanos();
  }
}
