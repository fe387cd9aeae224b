package io.reshape.collectors.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import io.reshape.events.VmNic;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real guests on a bridge send each other UDP datagrams at known rates; the traffic source
 * reads the flow between them from conntrack, attributes each direction to its sender through
 * the host's neighbour table, and reads each guest's total from its tap.
 */
@Timeout(120)
class TrafficSourceIT {

  /** IPv4 + UDP headers on each datagram's payload. */
  private static final int HEADERS = 28;

  @TempDir
  Path dir;

  @Test
  void aFlowBetweenTwoGuestsIsMeasuredInBothDirections() throws Exception {
    try (GuestNetwork network = GuestNetwork.create("traffic")) {
      GuestNetwork.Port portA = network.attach();
      GuestNetwork.Port portB = network.attach();
      try (TestGuest a = TestGuest.boot("net-a", 1, dir, Optional.of(portA));
           TestGuest b = TestGuest.boot("net-b", 1, dir, Optional.of(portB))) {
        measureBothDirections(a, portA, b, portB);
      }
    }
  }

  private void measureBothDirections(TestGuest a, GuestNetwork.Port portA, TestGuest b, GuestNetwork.Port portB) throws Exception {
    assertThat(a.command("net " + portA.ip() + " " + GuestNetwork.GATEWAY)).isEqualTo("OK net " + portA.mac());
    assertThat(b.command("net " + portB.ip() + " " + GuestNetwork.GATEWAY)).isEqualTo("OK net " + portB.mac());
    List<DiscoveredVm> vms = new QemuDiscovery(ProcFs.system()).scan().stream()
        .filter(vm -> vm.pid() == a.vm().pid() || vm.pid() == b.vm().pid()).toList();
    TrafficSource source = new TrafficSource("host-it", ProcFs.system());

    Map<String, List<VmNic>> nics = source.nics(vms);
    assertThat(nics.get("net-a")).containsExactly(new VmNic(portA.mac(), portA.tap(), List.of(portA.ip())));
    assertThat(nics.get("net-b")).containsExactly(new VmNic(portB.mac(), portB.tap(), List.of(portB.ip())));

    Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);
    assertThat(source.sample(vms, start).samples()).as("the first reading is where counting starts").isEmpty();
    a.command("send " + portB.ip() + " " + portB.mac() + " 100 1000");
    b.command("send " + portA.ip() + " " + portA.mac() + " 20 500");
    Thread.sleep(3000);
    a.command("idle");
    b.command("idle");
    Instant end = Instant.now().truncatedTo(ChronoUnit.MICROS);
    TrafficSource.Reading reading = source.sample(vms, end);
    double seconds = Duration.between(start, end).toMillis() / 1000.0;

    assertThat(reading.skipped()).isEmpty();
    assertThat(reading.samples()).allSatisfy(s -> {
      assertThat(s.getHostId()).isEqualTo("host-it");
      assertThat(s.getIntervalStart()).isEqualTo(start);
      assertThat(s.getIntervalEnd()).isEqualTo(end);
    });
    TrafficSample aToB = flow(reading, "net-a");
    TrafficSample bToA = flow(reading, "net-b");
    assertThat(aToB.getDstVmId()).isEqualTo("net-b");
    assertThat(aToB.getDstEndpoint()).isNull();
    assertThat(bToA.getDstVmId()).isEqualTo("net-a");
    // Sent for about 3 s of the interval: the right order of magnitude, and packet for packet the same size.
    assertThat((double) aToB.getBytes()).isCloseTo(100 * (1000 + HEADERS) * 3.0, within(100 * (1000 + HEADERS) * 1.5));
    assertThat(aToB.getBytes()).isEqualTo(aToB.getPackets() * (1000 + HEADERS));
    assertThat((double) bToA.getBytes()).isCloseTo(20 * (500 + HEADERS) * 3.0, within(20 * (500 + HEADERS) * 1.5));
    assertThat(bToA.getBytes()).isEqualTo(bToA.getPackets() * (500 + HEADERS));
    assertThat(aToB.getPackets()).isLessThanOrEqualTo((long) (100 * seconds) + 2);

    // The tap saw every frame the flow had, with its 14 bytes of Ethernet header.
    TrafficSample nicA = nic(reading, "net-a");
    assertThat(nicA.getPackets()).isGreaterThanOrEqualTo(aToB.getPackets());
    assertThat(nicA.getBytes()).isGreaterThanOrEqualTo(aToB.getBytes() + 14 * aToB.getPackets());
    assertThat(nic(reading, "net-b").getPackets()).isGreaterThanOrEqualTo(bToA.getPackets());
  }

  private static TrafficSample flow(TrafficSource.Reading reading, String sender) {
    return reading.samples().stream().filter(s -> s.getScope() == TrafficScope.FLOW && s.getSrcVmId().equals(sender))
        .reduce((x, y) -> {
          throw new AssertionError("two flows from " + sender + ": " + reading.samples());
        }).orElseThrow(() -> new AssertionError("no flow from " + sender + ": " + reading.samples()));
  }

  private static TrafficSample nic(TrafficSource.Reading reading, String vmId) {
    return reading.samples().stream().filter(s -> s.getScope() == TrafficScope.NIC && s.getSrcVmId().equals(vmId))
        .findFirst().orElseThrow(() -> new AssertionError("no tap counters of " + vmId + ": " + reading.samples()));
  }
}
