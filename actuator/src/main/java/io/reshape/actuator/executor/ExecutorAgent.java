package io.reshape.actuator.executor;

import io.reshape.actuator.StreamsSettings;
import io.reshape.actuator.drivers.IdleProbeDriver;
import io.reshape.actuator.drivers.KsmDriver;
import io.reshape.actuator.drivers.LibvirtMigrationDriver;
import io.reshape.actuator.drivers.PagingDriver;
import io.reshape.actuator.drivers.QemuGuests;
import io.reshape.actuator.drivers.QmpMigrationDriver;
import io.reshape.events.Action;
import io.reshape.host.ProcFs;
import io.reshape.host.QmpConnections;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's executor, running on that host: the executor topology for this host's commands, the
 * worker, and the real drivers this host's allowlist grants (everything else in dry run).
 */
public final class ExecutorAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutorAgent.class);

  private final CommandJournal journal;
  private final KafkaActuationReports reports;
  private final CommandWorker worker;
  private final KafkaStreams streams;

  private ExecutorAgent(CommandJournal journal, KafkaActuationReports reports, CommandWorker worker, KafkaStreams streams) {
    this.journal = journal;
    this.reports = reports;
    this.worker = worker;
    this.streams = streams;
  }

  /**
   * Settles what a previous run left, then takes this host's commands on.
   *
   * @param monitors the host agent's QMP clients, shared with its collector (QEMU serves one client per monitor)
   */
  public static ExecutorAgent start(ExecutorConfig config, Clock clock, QmpConnections monitors) throws IOException {
    ExecutorSettings settings = config.settings();
    Drivers drivers = drivers(config, monitors);
    LOG.info("Drivers: {}", drivers);
    CommandJournal journal = CommandJournal.open(settings.journalDirectory(), settings.journalRetention(), clock.instant());
    KafkaActuationReports reports = new KafkaActuationReports(config.kafka());
    CommandWorker worker = CommandWorker.onThreads(journal, drivers, reports, clock, ExecutorSettings.LANES);
    worker.recover();
    KafkaStreams streams = new KafkaStreams(
        ExecutorTopology.build(config.kafka().registryProperties(), settings, journal, worker, clock),
        StreamsSettings.exactlyOnce(config.kafka(), settings.applicationId(), config.journalDir().resolve("streams")));
    streams.start();
    return new ExecutorAgent(journal, reports, worker, streams);
  }

  /** The real drivers of a KVM host, each for the actions it carries out. */
  static Drivers drivers(ExecutorConfig config, QmpConnections monitors) {
    ProcFs proc = ProcFs.system();
    Driver paging = new PagingDriver(proc);
    Driver ksm = new KsmDriver(KsmDriver.SYSFS, config.ksmPagesToScan(), config.ksmSleep());
    Driver migration = config.migrationDriver() == ExecutorConfig.MigrationDriver.LIBVIRT
        ? new LibvirtMigrationDriver(config.libvirt())
        : new QmpMigrationDriver(new QemuGuests(proc), monitors, config.migration());
    return new Drivers(config.hostActions(), Map.of(Action.PAGE_OUT, paging, Action.SWAP_IN, paging,
        Action.ENABLE_KSM, ksm, Action.DISABLE_KSM, ksm, Action.MIGRATE, migration,
        Action.PROBE_IDLE, new IdleProbeDriver(proc, monitors, IdleProbeDriver.Settings.defaults(config.journalDir().resolve("probes")))), new DryRunDriver());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    streams.close(Duration.ofSeconds(30));
    worker.close();
    reports.close();
    journal.close();
  }
}
