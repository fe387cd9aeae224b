package io.reshape.collectors.host;

import io.reshape.collectors.host.ConntrackTable.Direction;
import io.reshape.collectors.host.ConntrackTable.Flow;
import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import io.reshape.events.VmNic;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.NetworkCard;
import io.reshape.host.ProcFs;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the guests send, read in the network namespace of their QEMU processes: the counters of
 * each guest's tap interfaces (all it sent) and the connections conntrack tracks (to whom it sent).
 * A connection is the guest's when its sending address is one the host's neighbour table gives
 * the guest's MAC; its receiver is a VM of this host the same way, else an address.
 *
 * <p>Counting starts at the first reading of a namespace; a connection conntrack drops between two
 * readings loses what it counted since the earlier one, which cannot happen while the interval is
 * shorter than conntrack's shortest timeout (10 s, a closed TCP connection).
 */
public final class TrafficSource {

  private static final Logger LOG = LoggerFactory.getLogger(TrafficSource.class);

  /** What one reading gives: the samples, and the table lines that did not read and were skipped. */
  public record Reading(List<TrafficSample> samples, List<String> skipped) {}

  /** The guests in one network namespace, and what is remembered of it between readings. */
  private static final class Namespace {
    final CounterDeltas<String> taps = new CounterDeltas<>();
    final CounterDeltas<String> flows = new CounterDeltas<>();
    Instant lastRead;
    boolean saidNoConntrack;
    boolean saidNoAccounting;
  }

  private final String hostId;
  private final ProcFs proc;
  private final Map<String, Namespace> namespaces = new HashMap<>();

  public TrafficSource(String hostId, ProcFs proc) {
    this.hostId = hostId;
    this.proc = proc;
  }

  /** Each VM's network cards with their taps and the addresses the host has seen them use, by VM id. */
  public Map<String, List<VmNic>> nics(List<DiscoveredVm> vms) throws IOException {
    return nics(byNamespace(vms));
  }

  private Map<String, List<VmNic>> nics(Map<String, List<DiscoveredVm>> byNamespace) throws IOException {
    Map<String, List<VmNic>> nics = new HashMap<>();
    for (Map.Entry<String, List<DiscoveredVm>> namespace : byNamespace.entrySet()) {
      List<DiscoveredVm> members = namespace.getValue();
      Map<String, List<String>> neighbours = proc.netTable(members.get(0).pid(), "arp")
          .map(lines -> Neighbours.parse(lines, "/proc/" + members.get(0).pid() + "/net/arp")).orElse(Map.of());
      for (DiscoveredVm vm : members) {
        List<VmNic> cards = new ArrayList<>();
        for (NetworkCard card : vm.commandLine().nics()) {
          cards.add(new VmNic(card.mac(), tap(vm, card).orElse(null), neighbours.getOrDefault(card.mac(), List.of())));
        }
        nics.put(vm.vmId(), cards);
      }
    }
    return nics;
  }

  /** What the VMs sent since the previous reading; nothing for a namespace read for the first time. */
  public Reading sample(List<DiscoveredVm> vms, Instant now) throws IOException {
    Map<String, List<DiscoveredVm>> byNamespace = byNamespace(vms);
    Map<String, List<VmNic>> nics = nics(byNamespace);
    Map<String, String> vmByAddress = new HashMap<>();
    nics.forEach((vmId, cards) -> cards.forEach(card -> card.getIpv4().forEach(ip -> vmByAddress.put(ip, vmId))));
    List<TrafficSample> samples = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    namespaces.keySet().retainAll(byNamespace.keySet());
    for (Map.Entry<String, List<DiscoveredVm>> entry : byNamespace.entrySet()) {
      Namespace namespace = namespaces.computeIfAbsent(entry.getKey(), k -> new Namespace());
      long pid = entry.getValue().get(0).pid();
      Optional<List<String>> dev = proc.netTable(pid, "dev");
      if (dev.isEmpty()) {
        continue; // the process went away since it was found
      }
      Map<String, Counters> sent = tapCounters(InterfaceCounters.parse(dev.get(), "/proc/" + pid + "/net/dev"));
      Map<String, Counters> tapDeltas = namespace.taps.next(sent);
      Map<String, Counters> flowDeltas = namespace.flows.next(flowCounters(pid, namespace, skipped));
      Instant start = namespace.lastRead;
      namespace.lastRead = now;
      if (start == null) {
        continue;
      }
      for (DiscoveredVm vm : entry.getValue()) {
        List<Counters> taps = nics.get(vm.vmId()).stream().map(VmNic::getTap).filter(tapDeltas::containsKey).map(tapDeltas::get).toList();
        if (!taps.isEmpty()) {
          samples.add(sample(vm.vmId(), null, null, TrafficScope.NIC, start, now, taps.stream().reduce(Counters.ZERO, Counters::plus)));
        }
      }
      Map<List<String>, Counters> byPair = new LinkedHashMap<>();
      flowDeltas.forEach((key, counted) -> {
        String[] fromTo = key.substring(0, key.indexOf(' ')).split(">");
        String sender = vmByAddress.get(fromTo[0]);
        if (sender != null && counted.bytes() > 0) {
          byPair.merge(List.of(sender, fromTo[1]), counted, Counters::plus);
        }
      });
      byPair.forEach((pair, counted) -> {
        String receiver = vmByAddress.get(pair.get(1));
        samples.add(sample(pair.get(0), receiver, receiver == null ? pair.get(1) : null, TrafficScope.FLOW, start, now, counted));
      });
    }
    return new Reading(samples, skipped);
  }

  /** What the guests sent through each tap of the namespace: a tap receives what its guest sends. */
  private static Map<String, Counters> tapCounters(Map<String, InterfaceCounters> interfaces) {
    Map<String, Counters> sent = new HashMap<>();
    interfaces.forEach((name, counters) -> sent.put(name, counters.received()));
    return sent;
  }

  /** Both directions of every connection, keyed {@code from>to tuple}; nothing where conntrack cannot say. */
  private Map<String, Counters> flowCounters(long pid, Namespace namespace, List<String> skipped) throws IOException {
    Optional<List<String>> lines = proc.netTable(pid, "nf_conntrack");
    if (lines.isEmpty()) {
      if (!namespace.saidNoConntrack) {
        namespace.saidNoConntrack = true;
        LOG.warn("No /proc/{}/net/nf_conntrack: conntrack is not tracking in the namespace of QEMU process {} (or the kernel lacks"
            + " CONFIG_NF_CONNTRACK_PROCFS); only each VM's total traffic is measured there", pid, pid);
      }
      return Map.of();
    }
    ConntrackTable table = ConntrackTable.parse(lines.get());
    if (table.unaccounted() > 0 && !namespace.saidNoAccounting) {
      namespace.saidNoAccounting = true;
      LOG.warn("conntrack lists {} connections without byte counts in the namespace of QEMU process {}: set"
          + " net.netfilter.nf_conntrack_acct=1 there; until then those connections are not measured", table.unaccounted(), pid);
    }
    table.rejected().forEach(reason -> skipped.add("/proc/" + pid + "/net/nf_conntrack: " + reason));
    Map<String, Counters> counters = new HashMap<>();
    for (Flow flow : table.flows()) {
      put(counters, flow.original(), flow.key());
      put(counters, flow.reply(), flow.key());
    }
    return counters;
  }

  private static void put(Map<String, Counters> counters, Direction direction, String key) {
    counters.put(direction.from() + ">" + direction.to() + " " + key, direction.counted());
  }

  private TrafficSample sample(String vmId, String dstVm, String dstEndpoint, TrafficScope scope, Instant start, Instant end,
      Counters counted) {
    return TrafficSample.newBuilder()
        .setHostId(hostId)
        .setSrcVmId(vmId)
        .setDstVmId(dstVm)
        .setDstEndpoint(dstEndpoint)
        .setIntervalStart(start)
        .setIntervalEnd(end)
        .setBytes(counted.bytes())
        .setPackets(counted.packets())
        .setScope(scope)
        .build();
  }

  /** The tap behind a card: named on the command line, or found through the descriptor QEMU was given. */
  private Optional<String> tap(DiscoveredVm vm, NetworkCard card) throws IOException {
    if (card.tapName().isPresent()) {
      return card.tapName();
    }
    return card.tapFd().isPresent() ? proc.tapOfDescriptor(vm.pid(), card.tapFd().getAsInt()) : Optional.empty();
  }

  private Map<String, List<DiscoveredVm>> byNamespace(List<DiscoveredVm> vms) throws IOException {
    Map<String, List<DiscoveredVm>> grouped = new LinkedHashMap<>();
    for (DiscoveredVm vm : vms) {
      Optional<String> namespace = proc.netNamespace(vm.pid());
      if (namespace.isPresent()) {
        grouped.computeIfAbsent(namespace.get(), k -> new ArrayList<>()).add(vm);
      }
    }
    return grouped;
  }
}
