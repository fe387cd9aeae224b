package io.reshape.actuator.executor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.reshape.actuator.StreamsClientMeters;
import io.reshape.actuator.StreamsHealth;
import io.reshape.actuator.StreamsSettings;
import io.reshape.actuator.drivers.IdleProbeDriver;
import io.reshape.actuator.drivers.KsmDriver;
import io.reshape.actuator.drivers.LabMigrationDriver;
import io.reshape.actuator.drivers.LabPagingDriver;
import io.reshape.actuator.drivers.LibvirtMigrationDriver;
import io.reshape.actuator.drivers.PagingDriver;
import io.reshape.actuator.drivers.QemuGuests;
import io.reshape.actuator.drivers.QmpMigrationDriver;
import io.reshape.events.Action;
import io.reshape.host.ProcFs;
import io.reshape.host.QmpConnections;
import io.reshape.host.lab.LabVms;
import io.reshape.observability.RunningService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's executor, running on that host: the executor topology for this host's commands, the
 * worker, and the real drivers this host's allowlist grants (everything else in dry run). Its
 * meters: those of {@link ActuationMeters}, and its Kafka Streams client's (consumer lag among them).
 */
public final class ExecutorAgent implements RunningService {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutorAgent.class);

  private final CommandJournal journal;
  private final KafkaActuationReports reports;
  private final CommandWorker worker;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;

  private ExecutorAgent(CommandJournal journal, KafkaActuationReports reports, CommandWorker worker, KafkaStreams streams,
      KafkaStreamsMetrics streamsMetrics) {
    this.journal = journal;
    this.reports = reports;
    this.worker = worker;
    this.streams = streams;
    this.streamsMetrics = streamsMetrics;
  }

  /**
   * Settles what a previous run left, then takes this host's commands on.
   *
   * @param monitors the host agent's QMP clients, shared with its collector (QEMU serves one client per monitor)
   * @param lab the lab VMs the host agent runs, if it runs any
   * @param registry where its meters go
   */
  public static ExecutorAgent start(ExecutorConfig config, Clock clock, QmpConnections monitors, Optional<LabVms> lab,
      MeterRegistry registry) throws IOException {
    return start(config, config.settings(), drivers(config, monitors, lab), clock, registry);
  }

  /**
   * The executor of a simulated fleet: every host's commands, each only said, never done (the
   * fleet's VMs exist in no hypervisor).
   */
  public static ExecutorAgent dryRunForEveryHost(ExecutorConfig config, Clock clock, MeterRegistry registry)
      throws IOException {
    return start(config, ExecutorSettings.of(Set.of(), config.journalDir()), Drivers.only(new DryRunDriver()), clock,
        registry);
  }

  private static ExecutorAgent start(ExecutorConfig config, ExecutorSettings settings, Drivers drivers, Clock clock,
      MeterRegistry registry) throws IOException {
    LOG.info("Drivers: {}", drivers);
    CommandJournal journal = CommandJournal.open(settings.journalDirectory(), settings.journalRetention(), clock.instant());
    KafkaActuationReports reports = new KafkaActuationReports(config.kafka());
    ActuationMeters meters = new ActuationMeters(registry);
    CommandWorker worker = CommandWorker.onThreads(journal, drivers, reports, meters, clock, ExecutorSettings.LANES);
    worker.recover();
    KafkaStreams streams = new KafkaStreams(
        ExecutorTopology.build(config.kafka().registryProperties(), settings, journal, worker, meters, clock),
        StreamsSettings.exactlyOnce(config.kafka(), settings.applicationId(), config.journalDir().resolve("streams"), registry));
    KafkaStreamsMetrics streamsMetrics = StreamsClientMeters.bind(streams, registry);
    streams.start();
    return new ExecutorAgent(journal, reports, worker, streams, streamsMetrics);
  }

  /** The real drivers of a KVM host, each for the actions it carries out, and of its lab VMs if it runs any. */
  static Drivers drivers(ExecutorConfig config, QmpConnections monitors, Optional<LabVms> lab) {
    ProcFs proc = ProcFs.system();
    QemuGuests guests = new QemuGuests(proc);
    Driver paging = new PagingDriver(proc);
    Driver ksm = new KsmDriver(KsmDriver.SYSFS, config.ksmPagesToScan(), config.ksmSleep());
    Driver migration = config.migrationDriver() == ExecutorConfig.MigrationDriver.LIBVIRT
        ? new LibvirtMigrationDriver(config.libvirt())
        : new QmpMigrationDriver(guests, monitors, config.migration());
    return new Drivers(config.hostActions(), Map.of(Action.PAGE_OUT, paging, Action.SWAP_IN, paging,
        Action.ENABLE_KSM, ksm, Action.DISABLE_KSM, ksm, Action.MIGRATE, migration,
        Action.PROBE_IDLE, new IdleProbeDriver(proc, monitors, IdleProbeDriver.Settings.defaults(config.journalDir().resolve("probes")))),
        lab.map(vms -> labRoute(config, guests, vms, proc)).orElse(Drivers.LabRoute.none()), new DryRunDriver());
  }

  /**
   * Commands on a lab VM go to the lab drivers: a VM that runs here or left its image here, and a
   * VM migrating here that no QEMU waits for (with the qmp driver, a QEMU guest's destination
   * waits with {@code -incoming}; libvirt starts its QEMU itself, so there only a kept image tells).
   */
  private static Drivers.LabRoute labRoute(ExecutorConfig config, QemuGuests guests, LabVms vms, ProcFs proc) {
    Driver paging = new LabPagingDriver(vms, proc, config.labKeepWritten());
    boolean arrivesWithoutQemu = config.migrationDriver() == ExecutorConfig.MigrationDriver.QMP;
    return new Drivers.LabRoute(command -> {
      String vmId = command.getVmId();
      if (vmId == null) {
        return false;
      }
      if (vms.running(vmId).isPresent() || vms.kept(vmId).isPresent()) {
        return true;
      }
      try {
        return arrivesWithoutQemu && command.getAction() == Action.MIGRATE
            && command.getHostId().equals(command.getDestinationHostId()) && guests.find(vmId).isEmpty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Map.of(Action.MIGRATE, new LabMigrationDriver(vms, config.migration()), Action.PAGE_OUT, paging, Action.SWAP_IN, paging));
  }

  /** Unhealthy while its Kafka Streams application is neither running nor rebalancing. */
  @Override
  public Optional<String> unhealthy() {
    return StreamsHealth.unhealthy(streams).map(why -> "executor: " + why);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    streamsMetrics.close();
    streams.close(Duration.ofSeconds(30));
    worker.close();
    reports.close();
    journal.close();
  }
}
