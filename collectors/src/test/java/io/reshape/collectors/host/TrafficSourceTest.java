package io.reshape.collectors.host;

import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.NetworkCard;
import io.reshape.host.ProcFs;
import io.reshape.host.QemuCommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;


/** How the traffic source attributes what the tables say, over a /proc written by the test. */
class TrafficSourceTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Instant T1 = T0.plusSeconds(5);
  private static final String ARP = String.join("\n",
      "IP address       HW type     Flags       HW address            Mask     Device",
      "10.0.0.2         0x1         0x2         52:54:00:00:00:0a     *        br0",
      "10.0.0.3         0x1         0x2         52:54:00:00:00:0b     *        br0");

  @TempDir
  Path proc;

  private final List<DiscoveredVm> vms = List.of(vm("vm-a", 100, "52:54:00:00:00:0a", "tap-a"), vm("vm-b", 200, "52:54:00:00:00:0b", "tap-b"));
  private TrafficSource source;

  private static DiscoveredVm vm(String id, long pid, String mac, String tap) {
    return new DiscoveredVm(id, pid, new QemuCommandLine(Optional.of(id), Optional.empty(), 1, 64L << 20, Optional.empty(),
        List.of(new NetworkCard(mac, Optional.of(tap), OptionalInt.empty()))));
  }

  @BeforeEach
  void namespace() throws Exception {
    for (long pid : List.of(100L, 200L)) {
      Files.createDirectories(proc.resolve(pid + "/ns"));
      Files.createSymbolicLink(proc.resolve(pid + "/ns/net"), Path.of("net:[4026532000]"));
    }
    source = new TrafficSource("h1", new ProcFs(proc));
  }

  /** What the kernel shows in the namespace (through the first VM's pid, as the source reads it). */
  private void tables(long tapA, long tapB, String... conntrack) throws Exception {
    Path net = Files.createDirectories(proc.resolve("100/net"));
    Files.writeString(net.resolve("dev"), String.join("\n", "head 1", "head 2",
        "  tap-a: " + tapA + " " + tapA / 1000 + " 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
        "  tap-b: " + tapB + " " + tapB / 1000 + " 0 0 0 0 0 0 0 0 0 0 0 0 0 0"));
    Files.writeString(net.resolve("arp"), ARP);
    Files.writeString(net.resolve("nf_conntrack"), String.join("\n", conntrack));
  }

  private static String udp(String from, String to, long sent, long replied) {
    return "ipv4 2 udp 17 29 src=" + from + " dst=" + to + " sport=5000 dport=6000 packets=" + sent / 100 + " bytes=" + sent
        + " src=" + to + " dst=" + from + " sport=6000 dport=5000 packets=" + replied / 100 + " bytes=" + replied + " mark=0 use=2";
  }

  @Test
  void flowsAreAttributedToTheirSendersAndAddressesOutsideTheHostStayAddresses() throws Exception {
    tables(10_000, 20_000, udp("10.0.0.2", "10.0.0.3", 1000, 500), udp("10.0.0.2", "8.8.8.8", 100, 100));
    assertThat(source.sample(vms, T0).samples()).isEmpty();

    tables(15_000, 21_000, udp("10.0.0.2", "10.0.0.3", 4000, 700), udp("10.0.0.2", "8.8.8.8", 300, 900),
        udp("10.0.0.3", "10.0.0.2", 200, 0));
    List<TrafficSample> samples = source.sample(vms, T1).samples();

    assertThat(samples).allSatisfy(s -> {
      assertThat(s.getIntervalStart()).isEqualTo(T0);
      assertThat(s.getIntervalEnd()).isEqualTo(T1);
    });
    assertThat(samples).filteredOn(s -> s.getScope() == TrafficScope.NIC)
        .extracting(TrafficSample::getSrcVmId, TrafficSample::getBytes)
        .containsExactlyInAnyOrder(tuple("vm-a", 5000L), tuple("vm-b", 1000L));
    assertThat(samples).filteredOn(s -> s.getScope() == TrafficScope.FLOW)
        .extracting(TrafficSample::getSrcVmId, TrafficSample::getDstVmId, TrafficSample::getDstEndpoint, TrafficSample::getBytes)
        .containsExactlyInAnyOrder(
            tuple("vm-a", "vm-b", null, 3000L),
            tuple("vm-a", null, "8.8.8.8", 200L),
            // b's replies on a's connection and its own new one: one pair, added up
            tuple("vm-b", "vm-a", null, 200L + 200L));
  }

  @Test
  void aConnectionThatRestartedCountsFromZeroAndGarbledLinesAreSkippedAndSaid() throws Exception {
    tables(0, 0, udp("10.0.0.2", "10.0.0.3", 5000, 0));
    source.sample(vms, T0);
    tables(0, 0, udp("10.0.0.2", "10.0.0.3", 300, 0), "ipv4 2 udp 17 29 src=10.0.0.9 garbage");
    TrafficSource.Reading reading = source.sample(vms, T1);

    assertThat(reading.skipped()).singleElement().satisfies(line -> assertThat(line).contains("/proc/100/net/nf_conntrack", "garbage"));
    assertThat(reading.samples()).filteredOn(s -> s.getScope() == TrafficScope.FLOW).singleElement()
        .satisfies(s -> assertThat(s.getBytes()).isEqualTo(300));
  }

  @Test
  void withoutConntrackOnlyTheTapsAreMeasured() throws Exception {
    tables(1000, 0);
    Files.delete(proc.resolve("100/net/nf_conntrack"));
    source.sample(vms, T0);
    tables(3000, 0);
    Files.delete(proc.resolve("100/net/nf_conntrack"));

    assertThat(source.sample(vms, T1).samples()).allSatisfy(s -> assertThat(s.getScope()).isEqualTo(TrafficScope.NIC))
        .extracting(TrafficSample::getBytes).containsExactlyInAnyOrder(2000L, 0L);
  }
}
