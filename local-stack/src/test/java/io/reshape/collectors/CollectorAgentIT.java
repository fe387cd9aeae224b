package io.reshape.collectors;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reshape.collectors.host.HostProbe;
import io.reshape.collectors.spool.Spool;
import io.reshape.collectors.spool.SpoolingPublisher;
import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.events.InventoryRecord;
import io.reshape.events.PageFingerprints;
import io.reshape.events.QuantumSample;
import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import io.reshape.events.VmInventory;
import io.reshape.events.VmNic;
import io.reshape.host.GuestNetwork;
import io.reshape.host.ProcFs;
import io.reshape.host.QmpConnections;
import io.reshape.host.TestGuest;
import io.reshape.local.CommittedRecords.Keyed;
import io.reshape.local.CommittedRecords;
import io.reshape.local.LocalStack;
import io.reshape.observability.ProcessMeters;
import io.reshape.observability.ServiceEndpoints;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;


/** The collector agent on this host, with a real guest, publishing to a real broker and registry. */
@Timeout(240)
class CollectorAgentIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void publishesARealGuestsQuantaDirtyRateFingerprintsTrafficAndInventoryAndItsDeparture() throws Exception {
    TestGuest.requireBootable();
    GuestNetwork.requireAvailable();
    try (LocalStack stack = LocalStack.start(null); GuestNetwork network = GuestNetwork.create("agent")) {
      GuestNetwork.Port port = network.attach();
      KafkaConnection kafka = stack.connection();
      CollectorConfig config = new CollectorConfig("host-agent-it", kafka, dir.resolve("spool"), 64L << 20,
          EnumSet.allOf(CollectorConfig.Source.class), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
          Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 16384, Duration.ofSeconds(2), "127.0.0.1", 0);
      PrometheusMeterRegistry meters = ProcessMeters.registry();
      try (TestGuest guest = TestGuest.boot("agent-it", 1, dir, Optional.of(port));
           SpoolingPublisher publisher = new SpoolingPublisher(kafka, config.hostId(),
               Spool.open(config.spoolDir(), config.spoolMaxBytes(), 1 << 20), meters);
           QmpConnections monitors = new QmpConnections(config.qmpTimeout());
           CollectorAgent agent = new CollectorAgent(config, publisher, ProcFs.system(), HostProbe.system(), monitors, Optional.empty(), meters);
           ServiceEndpoints metrics = ServiceEndpoints.start(config.metricsAddress(), config.metricsPort(), meters, publisher::unhealthy)) {
        agent.start();

        List<QuantumSample> quanta = await(kafka, Topics.QUANTA,
            list -> list.stream().filter(s -> s.getVmId().equals("agent-it")).count() >= 4);
        assertThat(quanta).filteredOn(s -> s.getVmId().equals("agent-it")).allSatisfy(s -> {
          assertThat(s.getHostId()).isEqualTo("host-agent-it");
          assertThat(s.getHaltNs()).as("KVM halt time of an idle guest").isPositive();
        });
        // Only now the guest talks (copying frames to its card byte by byte keeps its vCPU busy).
        guest.command("net " + port.ip() + " " + GuestNetwork.GATEWAY);
        // To the host, an address that is no VM: the flow keeps the address.
        guest.command("send " + GuestNetwork.GATEWAY + " " + GuestNetwork.GATEWAY_MAC + " 50 200");
        List<InventoryRecord> inventory = await(kafka, Topics.INVENTORY,
            list -> list.stream().anyMatch(r -> r.getEntity() instanceof VmInventory vm && vm.getVmId().equals("agent-it")
                && !vm.getNics().isEmpty() && !vm.getNics().get(0).getIpv4().isEmpty()));
        assertThat(inventory).anySatisfy(r -> assertThat(r.getEntity()).isInstanceOfSatisfying(VmInventory.class, vm -> {
          assertThat(vm.getVmId()).isEqualTo("agent-it");
          assertThat(vm.getMemoryBytes()).isEqualTo(64L << 20);
          assertThat(vm.getHostId()).isEqualTo("host-agent-it");
          assertThat(vm.getNics()).containsExactly(new VmNic(port.mac(), port.tap(), List.of(port.ip())));
        }));

        List<TrafficSample> traffic = await(kafka, Topics.TRAFFIC, list -> list.stream().anyMatch(t -> t.getSrcVmId().equals("agent-it")
            && t.getScope() == TrafficScope.FLOW && t.getBytes() > 0));
        assertThat(traffic).filteredOn(t -> t.getScope() == TrafficScope.FLOW).allSatisfy(t -> {
          assertThat(t.getSrcVmId()).isEqualTo("agent-it");
          assertThat(t.getDstEndpoint()).isEqualTo(GuestNetwork.GATEWAY);
          assertThat(t.getBytes()).isEqualTo(t.getPackets() * (200 + 28));
        });
        assertThat(traffic).filteredOn(t -> t.getScope() == TrafficScope.NIC).isNotEmpty();

        List<DirtyPages> rates = await(kafka, Topics.DIRTY_PAGES,
            list -> list.stream().anyMatch(d -> d.getVmId().equals("agent-it")));
        assertThat(rates).filteredOn(d -> d.getVmId().equals("agent-it")).allSatisfy(d -> {
          assertThat(d.getSource()).isEqualTo(DirtyPageSource.DIRTY_RATE);
          assertThat(d.getBitmap()).isNull();
          assertThat(d.getPageCount()).isEqualTo(16384);
        });

        guest.command("fill 5");
        List<PageFingerprints> prints = await(kafka, Topics.PAGE_FINGERPRINTS,
            list -> list.stream().anyMatch(f -> f.getVmId().equals("agent-it") && f.getPages().size() >= 4096));
        assertThat(prints).filteredOn(f -> f.getVmId().equals("agent-it")).allSatisfy(f -> assertThat(f.getSamplingRatio()).isEqualTo(1.0));

        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(text).contains("# TYPE reshape_collector_samples_total counter")
            .containsPattern("reshape_collector_samples_total\\{source=\"quanta\"} [1-9]")
            .containsPattern("reshape_collector_events_total\\{topic=\"" + Topics.QUANTA.name() + "\"} [1-9]")
            .containsPattern("reshape_collector_bytes_total\\{topic=\"" + Topics.QUANTA.name() + "\"} [1-9]")
            .containsPattern("reshape_collector_vms [1-9]")
            .containsPattern("reshape_collector_committed_total [1-9]")
            .contains("reshape_collector_lost_total 0.0");

        guest.close();
        CommittedRecords.await(kafka, Topics.INVENTORY, WAIT,
            read -> read.stream().anyMatch(r -> r.key().equals("vm:agent-it") && r.value() == null));
      }
    }
  }

  /** The values of {@code topic} for the test guest, once {@code done} holds for them. */
  private static <V extends SpecificRecord> List<V> await(KafkaConnection kafka, Topic<V> topic, Predicate<List<V>> done) {
    return values(CommittedRecords.await(kafka, topic, WAIT, read -> done.test(values(read))));
  }

  private static <V> List<V> values(List<Keyed<V>> read) {
    return read.stream().map(Keyed::value).filter(Objects::nonNull).toList();
  }
}
