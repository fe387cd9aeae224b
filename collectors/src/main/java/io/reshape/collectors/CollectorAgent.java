package io.reshape.collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.reshape.collectors.CollectorConfig.Source;
import io.reshape.collectors.host.DirtyRateSource;
import io.reshape.collectors.host.FingerprintSource;
import io.reshape.collectors.host.HostProbe;
import io.reshape.collectors.host.InventoryTracker;
import io.reshape.collectors.host.QuantaSource;
import io.reshape.collectors.host.SoftDirtySource;
import io.reshape.collectors.host.TrafficSource;
import io.reshape.collectors.sim.LabGuests;
import io.reshape.collectors.spool.Spool;
import io.reshape.collectors.spool.SpoolingPublisher;
import io.reshape.events.DirtyPages;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.ProcFs;
import io.reshape.host.QemuDiscovery;
import io.reshape.host.QmpClient;
import io.reshape.host.QmpConnections;
import io.reshape.host.lab.LabVms;
import io.reshape.observability.RunningService;
import io.reshape.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agent: finds this host's QEMU guests, reads their signals on each source's interval
 * and hands them to the spooling publisher. One thread runs every source, so a source's state is
 * never shared; a source that fails on one VM is counted, logged and tried again next interval.
 */
public final class CollectorAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CollectorAgent.class);
  private static final long SPOOL_SEGMENT_BYTES = 8L << 20;

  private final CollectorConfig config;
  private final SpoolingPublisher publisher;
  private final QemuDiscovery discovery;
  private final HostProbe host;
  private final InventoryTracker inventory;
  private final QuantaSource quanta;
  private final DirtyRateSource dirtyRates;
  private final FingerprintSource fingerprints;
  private final TrafficSource traffic;
  private final Optional<SoftDirtySource> softDirty;
  private final CollectorMeters metrics;
  private final QmpConnections monitors;
  private final Optional<LabGuests> lab;
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "collector"));
  private List<DiscoveredVm> vms = List.of();

  /**
   * @param monitors the host agent's QMP clients, shared with the executor's drivers when both run
   *     in one process (QEMU serves one client per monitor)
   * @param lab the lab VMs this host agent runs, if it runs any: their workloads run here, and
   *     their signals are published every quanta interval
   * @param meters where the sources count what they read
   */
  public CollectorAgent(CollectorConfig config, SpoolingPublisher publisher, ProcFs proc, HostProbe host,
      QmpConnections monitors, Optional<LabVms> lab, MeterRegistry meters) {
    this.config = config;
    this.lab = lab.map(vms -> new LabGuests(config.hostId(), Runtime.getRuntime().availableProcessors(), vms));
    this.monitors = monitors;
    this.publisher = publisher;
    this.discovery = new QemuDiscovery(proc);
    this.host = host;
    this.inventory = new InventoryTracker(config.hostId());
    this.quanta = new QuantaSource(config.hostId(), proc);
    this.dirtyRates = new DirtyRateSource(config.hostId());
    this.fingerprints = new FingerprintSource(config.hostId(), proc, config.fingerprintPages());
    this.traffic = new TrafficSource(config.hostId(), proc);
    this.softDirty = config.sources().contains(Source.SOFT_DIRTY) ? SoftDirtySource.ifSupported(config.hostId(), proc) : Optional.empty();
    if (config.sources().contains(Source.SOFT_DIRTY) && softDirty.isEmpty()) {
      LOG.warn("Source soft-dirty is off: this kernel does not set soft-dirty bits; the dirty-rate source stands in");
    }
    this.metrics = new CollectorMeters(meters);
  }

  public void start() {
    clock.scheduleAtFixedRate(this::discover, 0, config.inventoryInterval().toMillis(), TimeUnit.MILLISECONDS);
    every(Source.QUANTA, config.quantaInterval(), vm -> vm.monitored()
        .map(monitored -> quanta.sample(monitored, monitor(vm), Instant.now()).stream()
            .<Sample<?>>map(s -> new Sample<>(Topics.QUANTA, s.getVmId(), s, s.getIntervalEnd())).toList())
        .orElse(List.of()));
    every(Source.DIRTY_RATE, config.dirtyRateInterval(), vm -> dirtyPages(vm.monitored()
        .flatMap(monitored -> dirtyRates.sample(monitored, monitor(vm), vm.commandLine().memoryBytes(), Instant.now()))));
    softDirty.ifPresent(source -> every(Source.SOFT_DIRTY, config.softDirtyInterval(),
        vm -> dirtyPages(source.sample(vm, Instant.now()))));
    every(Source.FINGERPRINTS, config.fingerprintInterval(), vm -> fingerprints.sample(vm, Instant.now())
        .<List<Sample<?>>>map(f -> List.of(new Sample<>(Topics.PAGE_FINGERPRINTS, f.getVmId(), f, f.getSampledAt())))
        .orElse(List.of()));
    schedule(Source.TRAFFIC, config.trafficInterval(), this::readTraffic);
    lab.ifPresent(this::runLabVms);
  }

  private void runLabVms(LabGuests guests) {
    long interval = config.quantaInterval().toMillis();
    Instant[] from = {Instant.now()};
    clock.scheduleAtFixedRate(() -> {
      Instant to = Instant.now();
      try {
        List<Sample<?>> samples = guests.tick(from[0], to);
        publisher.publish(samples);
        metrics.samples("lab", samples.size());
      } catch (RuntimeException e) {
        metrics.error("lab");
        LOG.warn("Lab VMs not run this interval: {}", e.toString());
      }
      from[0] = to;
    }, interval, interval, TimeUnit.MILLISECONDS);
  }

  private static List<Sample<?>> dirtyPages(Optional<DirtyPages> record) {
    return record.<List<Sample<?>>>map(d -> List.of(new Sample<>(Topics.DIRTY_PAGES, d.getVmId(), d, d.getIntervalEnd())))
        .orElse(List.of());
  }

  /** What a source reads of one VM in one interval. */
  @FunctionalInterface
  private interface VmReading {
    List<Sample<?>> read(DiscoveredVm vm) throws Exception;
  }

  /** The VM's QMP monitor, connected on first use (and again after a failure dropped it). */
  private QmpClient monitor(DiscoveredVm vm) {
    return monitors.of(vm.commandLine().qmpSocket().orElseThrow());
  }

  /** Runs a source over every VM at its interval, if it is switched on. */
  private void every(Source source, Duration interval, VmReading reading) {
    schedule(source, interval, () -> readEachVm(source, reading));
  }

  private void schedule(Source source, Duration interval, Runnable reading) {
    if (config.sources().contains(source)) {
      clock.scheduleAtFixedRate(reading, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void discover() {
    try {
      List<DiscoveredVm> before = vms;
      vms = discovery.scan();
      Set<String> present = vms.stream().map(DiscoveredVm::vmId).collect(Collectors.toSet());
      before.stream().filter(vm -> !present.contains(vm.vmId())).forEach(this::forget);
      metrics.vms(vms.size());
      if (config.sources().contains(Source.INVENTORY)) {
        List<Sample<?>> changes = inventory.update(host.inventory(config.hostId()), vms, traffic.nics(vms), Instant.now());
        publisher.publish(changes);
        metrics.samples(name(Source.INVENTORY), changes.size());
      }
    } catch (Exception e) {
      metrics.error(name(Source.INVENTORY));
      LOG.warn("Discovery failed, tried again in {} ms: {}", config.inventoryInterval().toMillis(), e.toString());
    }
  }

  /** Lets go of everything kept for a VM that is gone. */
  private void forget(DiscoveredVm vm) {
    String vmId = vm.vmId();
    vm.commandLine().qmpSocket().ifPresent(monitors::drop);
    quanta.forget(vmId);
    dirtyRates.forget(vmId);
    fingerprints.forget(vmId);
    softDirty.ifPresent(source -> source.forget(vmId));
  }

  private void readEachVm(Source source, VmReading reading) {
    for (DiscoveredVm vm : vms) {
      try {
        List<Sample<?>> samples = reading.read(vm);
        publisher.publish(samples);
        metrics.samples(name(source), samples.size());
      } catch (Exception e) {
        metrics.error(name(source));
        vm.commandLine().qmpSocket().ifPresent(monitors::drop);
        LOG.warn("VM {}: {} not read this interval: {}", vm.vmId(), name(source), e.getMessage());
      }
    }
  }

  /** Traffic is read per network namespace, for all the VMs in it at once. */
  private void readTraffic() {
    String source = name(Source.TRAFFIC);
    try {
      TrafficSource.Reading reading = traffic.sample(vms, Instant.now());
      reading.skipped().forEach(line -> {
        metrics.error(source);
        LOG.warn("Skipped: {}", line);
      });
      publisher.publish(reading.samples().stream()
          .<Sample<?>>map(t -> new Sample<>(Topics.TRAFFIC, t.getSrcVmId(), t, t.getIntervalEnd())).toList());
      metrics.samples(source, reading.samples().size());
    } catch (Exception e) {
      metrics.error(source);
      LOG.warn("Traffic not read this interval: {}", e.toString());
    }
  }

  private static String name(Source source) {
    return source.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Override
  public void close() throws InterruptedException {
    clock.shutdown();
    clock.awaitTermination(10, TimeUnit.SECONDS);
  }

  /** The collector's publisher: a spool in the configured directory, shipped to Kafka as this host. */
  public static SpoolingPublisher publisher(CollectorConfig config, MeterRegistry meters) {
    return new SpoolingPublisher(config.kafka(), config.hostId(),
        Spool.open(config.spoolDir(), config.spoolMaxBytes(), Math.min(SPOOL_SEGMENT_BYTES, config.spoolMaxBytes())), meters);
  }

  /**
   * Starts the collector as {@code config} says, with its spool, its meters in {@code meters};
   * closing what this returns stops the sources, then closes the spool. It is unhealthy when its
   * samples can no longer get to Kafka.
   */
  public static RunningService start(CollectorConfig config, QmpConnections monitors, Optional<LabVms> lab,
      MeterRegistry meters) throws Exception {
    HostCapabilities.probe(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"))
        .forEach(capability -> LOG.info("capability {}", capability));
    SpoolingPublisher publisher = publisher(config, meters);
    CollectorAgent agent = new CollectorAgent(config, publisher, ProcFs.system(), HostProbe.system(), monitors, lab, meters);
    agent.start();
    LOG.info("Collecting");
    return new RunningService() {
      @Override
      public Optional<String> unhealthy() {
        return publisher.unhealthy().map(why -> "collector: " + why);
      }

      @Override
      public void close() throws InterruptedException {
        try (publisher; agent) {
          // Closed in reverse: the sources, then the spool.
        }
      }
    };
  }
}
