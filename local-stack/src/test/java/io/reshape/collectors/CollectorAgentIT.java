package io.reshape.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.collectors.host.HostProbe;
import io.reshape.collectors.host.ProcFs;
import io.reshape.collectors.host.TestGuest;
import io.reshape.collectors.spool.Spool;
import io.reshape.collectors.spool.SpoolingPublisher;
import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.events.InventoryRecord;
import io.reshape.events.PageFingerprints;
import io.reshape.events.QuantumSample;
import io.reshape.events.VmInventory;
import io.reshape.local.LocalStack;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.serde.RegistryAvroDecoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The collector agent on this host, with a real guest, publishing to a real broker and registry. */
@Timeout(240)
class CollectorAgentIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void publishesARealGuestsQuantaDirtyRateFingerprintsAndInventoryAndItsDeparture() throws Exception {
    TestGuest.assumeBootable();
    try (LocalStack stack = LocalStack.start(null)) {
      KafkaConnection kafka = stack.connection();
      CollectorConfig config = new CollectorConfig("host-agent-it", kafka, dir.resolve("spool"), 64L << 20,
          EnumSet.allOf(CollectorConfig.Source.class), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
          Duration.ofSeconds(1), Duration.ofSeconds(1), 16384, Duration.ofSeconds(2), "127.0.0.1", 0);
      try (TestGuest guest = TestGuest.boot("agent-it", 1, dir);
           SpoolingPublisher publisher = new SpoolingPublisher(kafka, config.hostId(), Spool.open(config.spoolDir(), config.spoolMaxBytes(), 1 << 20));
           CollectorAgent agent = new CollectorAgent(config, publisher, ProcFs.system(), HostProbe.system());
           MetricsServer metrics = new MetricsServer(config.metricsAddress(), config.metricsPort(), agent.metrics()::render)) {
        agent.start();

        List<QuantumSample> quanta = await(kafka, Topics.QUANTA, QuantumSample.class,
            list -> list.stream().filter(s -> s.getVmId().equals("agent-it")).count() >= 4);
        assertThat(quanta).filteredOn(s -> s.getVmId().equals("agent-it")).allSatisfy(s -> {
          assertThat(s.getHostId()).isEqualTo("host-agent-it");
          assertThat(s.getHaltNs()).as("KVM halt time of an idle guest").isPositive();
        });
        List<InventoryRecord> inventory = await(kafka, Topics.INVENTORY, InventoryRecord.class,
            list -> list.stream().anyMatch(r -> r.getEntity() instanceof VmInventory vm && vm.getVmId().equals("agent-it")));
        assertThat(inventory).anySatisfy(r -> assertThat(r.getEntity()).isInstanceOfSatisfying(VmInventory.class, vm -> {
          assertThat(vm.getVmId()).isEqualTo("agent-it");
          assertThat(vm.getMemoryBytes()).isEqualTo(64L << 20);
          assertThat(vm.getHostId()).isEqualTo("host-agent-it");
        }));

        List<DirtyPages> rates = await(kafka, Topics.DIRTY_PAGES, DirtyPages.class,
            list -> list.stream().anyMatch(d -> d.getVmId().equals("agent-it")));
        assertThat(rates).filteredOn(d -> d.getVmId().equals("agent-it")).allSatisfy(d -> {
          assertThat(d.getSource()).isEqualTo(DirtyPageSource.DIRTY_RATE);
          assertThat(d.getBitmap()).isNull();
          assertThat(d.getPageCount()).isEqualTo(16384);
        });

        guest.command("fill 5");
        List<PageFingerprints> prints = await(kafka, Topics.PAGE_FINGERPRINTS, PageFingerprints.class,
            list -> list.stream().anyMatch(f -> f.getVmId().equals("agent-it") && f.getPages().size() >= 4096));
        assertThat(prints).filteredOn(f -> f.getVmId().equals("agent-it")).allSatisfy(f -> assertThat(f.getSamplingRatio()).isEqualTo(1.0));

        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + metrics.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(text).contains("# TYPE reshape_collector_samples_total counter")
            .containsPattern("reshape_collector_samples_total\\{source=\"quanta\"} [1-9]")
            .containsPattern("reshape_collector_committed_total [1-9]")
            .contains("reshape_collector_lost_total 0");

        guest.close();
        await(kafka, Topics.INVENTORY, null, keys -> keys.contains("tombstone:vm:agent-it"));
      }
    }
  }

  /**
   * Reads {@code topic} as a downstream reader would until {@code done} holds. With a null type it
   * gives the keys instead, tombstones as {@code tombstone:<key>}.
   */
  @SuppressWarnings("unchecked")
  private static <T> List<T> await(KafkaConnection kafka, Topic<?> topic, Class<T> type, Predicate<List<T>> done) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    List<T> seen = new ArrayList<>();
    var config = kafka.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    RegistryAvroDecoder<T> decoder = type == null ? null : RegistryAvroDecoder.forType(
        SchemaRegistryClient.shared(RegistryConfig.from(kafka.registryProperties())), type);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
          if (decoder == null) {
            seen.add((T) (record.value() == null ? "tombstone:" + record.key() : record.key()));
          } else if (record.value() != null) {
            seen.add(decoder.decode(record.value()));
          }
        }
        if (done.test(seen)) {
          return seen;
        }
      }
    }
    throw new AssertionError("Not seen on " + topic + " within " + WAIT.toSeconds() + " s; saw " + seen.size() + " records: "
        + (seen.size() > 5 ? seen.subList(0, 5) : seen));
  }
}
