package io.reshape.collectors.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reshape.events.QuantumSample;
import io.reshape.host.ProcFormatException;
import io.reshape.host.ProcFs;
import io.reshape.host.QemuVm;
import io.reshape.host.QmpClient;
import io.reshape.host.QmpException;
import io.reshape.host.ThreadCounters;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduling quanta of QEMU guests: per vCPU, the run, wait and switch counters of its thread
 * (from /proc) and KVM's halt statistics (from QMP {@code query-stats}), turned into per-interval
 * samples. A vCPU whose /proc entry cannot be read is reported and skipped; its next sample then
 * spans both intervals, so nothing is invented. A QEMU without {@code query-stats} is reported
 * once, and its samples carry no halt figures.
 */
public final class QuantaSource {

  private static final Logger LOG = LoggerFactory.getLogger(QuantaSource.class);
  private static final Duration THREADS_MAX_AGE = Duration.ofMinutes(1);

  /** A VM's vCPU threads as QEMU last told them, and when. */
  private record VcpuThreads(JsonNode cpus, Instant readAt) {}

  private final String hostId;
  private final ProcFs proc;
  private final Map<String, Map<Integer, VcpuCounters>> previous = new HashMap<>();
  /** Each VM's vCPUs (QMP query-cpus-fast), kept: vCPU threads change only with hotplug or a restart. */
  private final Map<String, VcpuThreads> threads = new HashMap<>();
  private final AtomicLong errors = new AtomicLong();
  private boolean haltStatsMissingReported;

  public QuantaSource(String hostId, ProcFs proc) {
    this.hostId = hostId;
    this.proc = proc;
  }

  /**
   * Reads the VM's vCPUs now and returns the samples of the interval since the last reading (none
   * on the first).
   *
   * @throws QmpException when QEMU cannot tell where its vCPUs are
   */
  public List<QuantumSample> sample(QemuVm vm, QmpClient qmp, Instant now) {
    Map<Integer, VcpuCounters> before = previous.getOrDefault(vm.vmId(), Map.of());
    Map<Integer, VcpuCounters> current = read(vm, qmp, now, before);
    previous.put(vm.vmId(), current);
    return QuantumDeltas.between(vm.vmId(), hostId, before, current);
  }

  /** Drops what is remembered of a VM that is gone. */
  public void forget(String vmId) {
    previous.remove(vmId);
    threads.remove(vmId);
  }

  private JsonNode vcpuThreads(QemuVm vm, QmpClient qmp, Instant now) {
    VcpuThreads known = threads.get(vm.vmId());
    if (known == null || Duration.between(known.readAt(), now).compareTo(THREADS_MAX_AGE) > 0) {
      known = new VcpuThreads(qmp.execute("query-cpus-fast", null), now);
      threads.put(vm.vmId(), known);
    }
    return known.cpus();
  }

  /** Readings that failed and were skipped. */
  public long errors() {
    return errors.get();
  }

  private Map<Integer, VcpuCounters> read(QemuVm vm, QmpClient qmp, Instant now, Map<Integer, VcpuCounters> before) {
    Map<String, JsonNode> halts = haltStats(vm, qmp);
    Map<Integer, VcpuCounters> counters = new HashMap<>();
    for (JsonNode cpu : vcpuThreads(vm, qmp, now)) {
      int vcpu = cpu.path("cpu-index").asInt();
      long tid = cpu.path("thread-id").asLong();
      try {
        Optional<ThreadCounters> thread = proc.thread(vm.pid(), tid);
        if (thread.isEmpty()) {
          // The thread is gone (a vCPU unplugged, QEMU restarted): ask QEMU again next interval.
          threads.remove(vm.vmId());
          continue;
        }
        JsonNode stats = halts.get(cpu.path("qom-path").asText());
        counters.put(vcpu, new VcpuCounters(vcpu, tid, now, thread.get(), stat(stats, "halt_wait_ns"), stat(stats, "halt_exits")));
      } catch (IOException | ProcFormatException e) {
        errors.incrementAndGet();
        LOG.warn("VM {} vCPU {}: cannot read its thread's counters, skipped this interval: {}", vm.vmId(), vcpu, e.getMessage());
        if (before.containsKey(vcpu)) {
          counters.put(vcpu, before.get(vcpu));
        }
      }
    }
    return counters;
  }

  /** KVM's per-vCPU statistics by QOM path; empty when this QEMU cannot give them. */
  private Map<String, JsonNode> haltStats(QemuVm vm, QmpClient qmp) {
    ObjectNode provider = QmpClient.arguments().put("provider", "kvm");
    provider.putArray("names").add("halt_exits").add("halt_wait_ns");
    ObjectNode arguments = QmpClient.arguments().put("target", "vcpu");
    arguments.putArray("providers").add(provider);
    Map<String, JsonNode> byPath = new HashMap<>();
    try {
      for (JsonNode vcpu : qmp.execute("query-stats", arguments)) {
        byPath.put(vcpu.path("qom-path").asText(), vcpu.path("stats"));
      }
    } catch (QmpException e) {
      if (!haltStatsMissingReported) {
        haltStatsMissingReported = true;
        LOG.warn("VM {}: no KVM halt statistics from QEMU ({}); quanta go on without them", vm.vmId(), e.getMessage());
      }
    }
    return byPath;
  }

  private static Long stat(JsonNode stats, String name) {
    if (stats == null) {
      return null;
    }
    for (JsonNode stat : stats) {
      if (name.equals(stat.path("name").asText())) {
        return stat.path("value").asLong();
      }
    }
    return null;
  }
}
