package io.reshape.collectors.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.host.QemuVm;
import io.reshape.host.QmpClient;
import io.reshape.host.QmpException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dirty-page rates of QEMU guests from QMP {@code calc-dirty-rate}, for hosts where no bitmap can
 * be had: each call collects the measurement the previous call started and starts the next. Mode
 * {@code dirty-bitmap} counts every page KVM saw written during the window; where a QEMU refuses
 * it, {@code page-sampling} is used and said once. A rate is published as a rate: the record
 * carries no bitmap, only the count of pages the rate amounts to over the window.
 */
public final class DirtyRateSource {

  private static final Logger LOG = LoggerFactory.getLogger(DirtyRateSource.class);
  private static final int PAGE_SIZE = 4096;
  /** QEMU reports whole MiB per second. */
  private static final int PAGES_PER_MIB = (1 << 20) / PAGE_SIZE;
  private static final Duration WINDOW = Duration.ofSeconds(1);

  private final String hostId;
  /** When each VM's measurement under way started. */
  private final Map<String, Instant> running = new HashMap<>();
  private final Map<String, Long> epochs = new HashMap<>();
  private final Map<String, String> modes = new HashMap<>();

  public DirtyRateSource(String hostId) {
    this.hostId = hostId;
  }

  /**
   * The measurement started by the previous call, if QEMU has finished it, and a new one started
   * now; while a measurement is still under way it is left to finish and nothing is returned.
   *
   * @param memoryBytes the VM's RAM, to say how many pages the rate is out of
   */
  public Optional<DirtyPages> sample(QemuVm vm, QmpClient qmp, long memoryBytes, Instant now) {
    Optional<DirtyPages> measured = Optional.empty();
    Instant previous = running.remove(vm.vmId());
    if (previous != null) {
      JsonNode result = qmp.execute("query-dirty-rate", null);
      String status = result.path("status").asText();
      if ("measuring".equals(status)) {
        running.put(vm.vmId(), previous);
        return Optional.empty();
      }
      if ("measured".equals(status)) {
        long mibPerSecond = result.path("dirty-rate").asLong();
        int pages = (int) Math.min(Integer.MAX_VALUE, mibPerSecond * PAGES_PER_MIB * WINDOW.toSeconds());
        measured = Optional.of(DirtyPages.newBuilder()
            .setVmId(vm.vmId())
            .setHostId(hostId)
            .setIntervalStart(previous)
            .setIntervalEnd(previous.plus(WINDOW))
            .setSource(DirtyPageSource.DIRTY_RATE)
            .setCollectorEpoch(epochs.merge(vm.vmId(), 1L, Long::sum))
            .setPageSize(PAGE_SIZE)
            .setGuestPhysicalBase(0)
            .setPageCount((int) (memoryBytes / PAGE_SIZE))
            .setDirtyCount(pages)
            .setBitmap(null)
            .build());
      }
    }
    start(vm, qmp);
    running.put(vm.vmId(), now);
    return measured;
  }

  private void start(QemuVm vm, QmpClient qmp) {
    String mode = modes.getOrDefault(vm.vmId(), "dirty-bitmap");
    try {
      qmp.execute("calc-dirty-rate", QmpClient.arguments().put("calc-time", WINDOW.toSeconds()).put("mode", mode));
    } catch (QmpException e) {
      // Only a refusal of the mode itself calls for the fallback; anything else is an error.
      if (!mode.equals("dirty-bitmap") || !e.getMessage().contains("mode")) {
        throw e;
      }
      LOG.warn("VM {}: QEMU measures no dirty rate from KVM's dirty bitmap ({}); sampling pages instead, which misses sparse writes",
          vm.vmId(), e.getMessage());
      modes.put(vm.vmId(), "page-sampling");
      start(vm, qmp);
    }
  }

  /** Drops what is remembered of a VM that is gone. */
  public void forget(String vmId) {
    running.remove(vmId);
    epochs.remove(vmId);
    modes.remove(vmId);
  }
}
