package io.reshape.collectors.host;

import io.reshape.collectors.host.ConntrackTable.Direction;
import io.reshape.host.ProcFormatException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


/** The three tables of /proc/PID/net the traffic source reads, as the kernel writes them. */
class NetworkTablesTest {

  @Test
  void interfaceCountersAreReadPerInterface() {
    List<String> dev = List.of(
        "Inter-|   Receive                                                |  Transmit",
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
        "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0",
        "  tap1:  272022     262    0    0    0     0          0         0     1408      17    0    0    0     0       0          0",
        "br0:12345678901 3 0 0 0 0 0 0 5 1 0 0 0 0 0 0");
    Map<String, InterfaceCounters> counters = InterfaceCounters.parse(dev, "net/dev");
    assertThat(counters.get("tap1")).isEqualTo(new InterfaceCounters(new Counters(272022, 262), new Counters(1408, 17)));
    assertThat(counters.get("br0").received().bytes()).as("a large count runs into the colon").isEqualTo(12345678901L);
    assertThat(counters).containsOnlyKeys("lo", "tap1", "br0");
  }

  @Test
  void aGarbledInterfaceLineSaysWhere() {
    assertThatThrownBy(() -> InterfaceCounters.parse(List.of("h1", "h2", "  tap1: 12 x 0 0 0 0 0 0 1 1 0 0 0 0 0 0"), "/proc/7/net/dev"))
        .isInstanceOf(ProcFormatException.class).hasMessageContaining("/proc/7/net/dev").hasMessageContaining("'x'");
    assertThatThrownBy(() -> InterfaceCounters.parse(List.of("h1", "h2", "tap1 12 3"), "net/dev"))
        .isInstanceOf(ProcFormatException.class).hasMessageContaining("not an interface line");
  }

  @Test
  void neighboursAreTheCompleteEntriesByMac() {
    List<String> arp = List.of(
        "IP address       HW type     Flags       HW address            Mask     Device",
        "10.77.0.2        0x1         0x2         52:54:00:77:00:01     *        br0",
        "10.77.0.9        0x1         0x0         00:00:00:00:00:00     *        br0",
        "192.168.1.7      0x1         0x6         52:54:00:77:00:01     *        eth0",
        "10.77.0.3        0x1         0x2         52:54:00:77:00:02     *        br0");
    assertThat(Neighbours.parse(arp, "net/arp")).isEqualTo(Map.of(
        "52:54:00:77:00:01", List.of("10.77.0.2", "192.168.1.7"),
        "52:54:00:77:00:02", List.of("10.77.0.3")));
    assertThatThrownBy(() -> Neighbours.parse(List.of("head", "10.0.0.1 0x1 zz 52:54:00:00:00:01 * br0"), "net/arp"))
        .isInstanceOf(ProcFormatException.class).hasMessageContaining("not a neighbour line");
  }

  @Test
  void connectionsHaveBothDirectionsAndAKeyThatOutlivesTheirCounters() {
    String udp = "ipv4     2 udp      17 29 src=10.77.0.2 dst=10.77.0.3 sport=7000 dport=7000 packets=260 bytes=267280"
        + " src=10.77.0.3 dst=10.77.0.2 sport=7000 dport=7000 packets=5 bytes=2640 mark=0 zone=0 use=2";
    String tcp = "ipv4     2 tcp      6 431999 ESTABLISHED src=10.77.0.2 dst=1.2.3.4 sport=40000 dport=443 packets=12 bytes=900"
        + " src=1.2.3.4 dst=192.168.1.7 sport=443 dport=40000 packets=10 bytes=14000 [ASSURED] mark=0 zone=0 use=2";
    ConntrackTable table = ConntrackTable.parse(List.of(udp, tcp));
    assertThat(table.rejected()).isEmpty();
    assertThat(table.unaccounted()).isZero();
    assertThat(table.flows()).hasSize(2);
    assertThat(table.flows().get(0).original()).isEqualTo(new Direction("10.77.0.2", "10.77.0.3", new Counters(267280, 260)));
    assertThat(table.flows().get(0).reply()).isEqualTo(new Direction("10.77.0.3", "10.77.0.2", new Counters(2640, 5)));
    assertThat(table.flows().get(1).reply()).as("a reply to an address the host translated")
        .isEqualTo(new Direction("1.2.3.4", "192.168.1.7", new Counters(14000, 10)));

    String later = udp.replace("packets=260 bytes=267280", "packets=300 bytes=308400").replace(" 29 ", " 30 ");
    assertThat(ConntrackTable.parse(List.of(later)).flows().get(0).key()).isEqualTo(table.flows().get(0).key());
  }

  @Test
  void connectionsWithoutCountersAndGarbledLinesAreToldApart() {
    ConntrackTable table = ConntrackTable.parse(List.of(
        "ipv4 2 udp 17 29 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 use=2",
        "ipv4 2 udp 17 29 src=10.0.0.1 dst=10.0.0.2",
        "ipv4 2 udp 17 29 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 packets=x bytes=1 src=10.0.0.2 dst=10.0.0.1 packets=0 bytes=0"));
    assertThat(table.flows()).isEmpty();
    assertThat(table.unaccounted()).isEqualTo(1);
    assertThat(table.rejected()).hasSize(2);
    assertThat(table.rejected().get(0)).startsWith("not a connection");
    assertThat(table.rejected().get(1)).contains("'x' is not a counter");
  }
}
