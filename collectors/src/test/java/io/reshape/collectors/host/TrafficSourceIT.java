package io.reshape.collectors.host;

import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import io.reshape.events.VmNic;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.GuestNetwork;
import io.reshape.host.ProcFs;
import io.reshape.host.QemuDiscovery;
import io.reshape.host.TestGuest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;


/**
 * Two real guests on a bridge send each other UDP datagrams; the traffic source reads the flow
 * between them from conntrack, attributes each direction to its sender through the host's neighbour
 * table, and reads each guest's total from its tap. Every count is checked against the datagrams
 * the guests say they sent, not against how long they were left sending: a loaded host runs a
 * guest copying frames to its card port by port far slower than the rate it was asked for.
 */
@Timeout(120)
class TrafficSourceIT {

  /** IPv4 + UDP headers on each datagram's payload. */
  private static final int HEADERS = 28;
  private static final int ETHERNET_HEADER = 14;
  /** Datagrams a second and their payload bytes, from a to b and from b to a. */
  private static final int RATE_A = 100;
  private static final int SIZE_A = 1000;
  private static final int RATE_B = 20;
  private static final int SIZE_B = 500;
  /** The kernel may still be forwarding the last frames when the guests say they are done. */
  private static final Duration CATCH_UP = Duration.ofSeconds(10);
  private static final Duration SENDING = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  /** Packets and bytes. */
  private record Count(long packets, long bytes) {
    static final Count NONE = new Count(0, 0);

    static Count ofFrames(long frames, int bytesEach) {
      return new Count(frames, frames * bytesEach);
    }

    static Count of(TrafficSample s) {
      return new Count(s.getPackets(), s.getBytes());
    }

    Count plus(Count other) {
      return new Count(packets + other.packets, bytes + other.bytes);
    }
  }

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
    long sentBeforeA = a.counts().datagrams();
    long sentBeforeB = b.counts().datagrams();
    a.command("send " + portB.ip() + " " + portB.mac() + " " + RATE_A + " " + SIZE_A);
    b.command("send " + portA.ip() + " " + portA.mac() + " " + RATE_B + " " + SIZE_B);
    // A second's worth each, however long the host takes to run it.
    awaitDatagrams(a, sentBeforeA + RATE_A);
    awaitDatagrams(b, sentBeforeB + RATE_B);
    a.command("idle");
    b.command("idle");
    long sentA = a.counts().datagrams() - sentBeforeA;
    long sentB = b.counts().datagrams() - sentBeforeB;

    // Each frame is a datagram, counted by conntrack at its IP length and by the tap with its Ethernet header.
    Map<String, Count> expected = Map.of(
        "FLOW net-a>net-b", Count.ofFrames(sentA, SIZE_A + HEADERS), "NIC net-a", Count.ofFrames(sentA, SIZE_A + HEADERS + ETHERNET_HEADER),
        "FLOW net-b>net-a", Count.ofFrames(sentB, SIZE_B + HEADERS), "NIC net-b", Count.ofFrames(sentB, SIZE_B + HEADERS + ETHERNET_HEADER));
    assertThat(readUntilCaughtUp(source, vms, start, expected)).isEqualTo(expected);
  }

  /** Waits until the guest says it has sent at least {@code datagrams} since it booted. */
  private static void awaitDatagrams(TestGuest guest, long datagrams) throws Exception {
    Instant deadline = Instant.now().plus(SENDING);
    while (guest.counts().datagrams() < datagrams) {
      assertThat(Instant.now()).as("still sending").isBefore(deadline);
      Thread.sleep(100);
    }
  }

  /**
   * Reads the source until what it counted since {@code start} reaches every expected count, or for
   * at most {@link #CATCH_UP}; returns the counts by scope, sender and receiver. Each reading is
   * checked to be this host's and to follow the one before; each flow to have a VM as receiver.
   */
  private static Map<String, Count> readUntilCaughtUp(TrafficSource source, List<DiscoveredVm> vms, Instant start,
      Map<String, Count> expected) throws Exception {
    Map<String, Count> counted = new HashMap<>();
    Instant deadline = Instant.now().plus(CATCH_UP);
    Instant previous = start;
    while (!caughtUp(counted, expected) && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      TrafficSource.Reading reading = source.sample(vms, now);
      assertThat(reading.skipped()).isEmpty();
      for (TrafficSample s : reading.samples()) {
        assertThat(s.getHostId()).isEqualTo("host-it");
        assertThat(s.getIntervalStart()).isEqualTo(previous);
        assertThat(s.getIntervalEnd()).isEqualTo(now);
        if (s.getScope() == TrafficScope.FLOW) {
          assertThat(s.getDstVmId()).as("a flow's receiver").isNotNull();
          assertThat(s.getDstEndpoint()).as("a flow to a VM has no address instead").isNull();
        }
        counted.merge(key(s), Count.of(s), Count::plus);
      }
      previous = now;
    }
    return counted;
  }

  private static boolean caughtUp(Map<String, Count> counted, Map<String, Count> expected) {
    return expected.entrySet().stream().allMatch(e -> counted.getOrDefault(e.getKey(), Count.NONE).packets() >= e.getValue().packets());
  }

  private static String key(TrafficSample s) {
    return s.getScope() == TrafficScope.FLOW ? "FLOW " + s.getSrcVmId() + ">" + s.getDstVmId() : "NIC " + s.getSrcVmId();
  }
}
