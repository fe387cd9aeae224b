package io.reshape.jobs.inventory;

import io.reshape.events.DeadLetterCause;
import io.reshape.events.HostInventory;
import io.reshape.events.InventoryRecord;
import io.reshape.events.VmInventory;
import io.reshape.jobs.kafka.DecodeRecords;
import io.reshape.jobs.kafka.RawRecord;
import io.reshape.jobs.kafka.RawRecordDecoder;
import io.reshape.schemas.InventoryKeys;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reads the compacted inventory topic into what a job needs to know of each VM: a VM record says
 * the VM is there and how, a tombstone on a VM key says it is gone. Host records pass by unless the
 * job keeps something of hosts.
 *
 * @param <T> what the job keeps of a VM
 */
public abstract class DecodeVmInventory<T> extends ProcessFunction<RawRecord, T> {

  private static final long serialVersionUID = 1L;

  private final RawRecordDecoder<InventoryRecord> decoder;

  protected DecodeVmInventory(Map<String, String> registryConfig, String stage) {
    this.decoder = new RawRecordDecoder<>(InventoryRecord.class, registryConfig, stage);
  }

  /** What the job keeps of a VM the inventory lists. */
  protected abstract T present(VmInventory vm);

  /** Word that the VM left the inventory, at {@code at} (ms, the tombstone's timestamp). */
  protected abstract T gone(String vmId, long at);

  /** What the job keeps of a host the inventory lists; null (nothing) unless the job keeps hosts. */
  protected T presentHost(HostInventory host) {
    return null;
  }

  /** Word that the host left the inventory; null (nothing) unless the job keeps hosts. */
  protected T goneHost(String hostId, long at) {
    return null;
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<T> out) {
    String key = record.key == null ? null : new String(record.key, StandardCharsets.UTF_8);
    if (key == null) {
      ctx.output(DecodeRecords.DEAD_LETTERS, decoder.deadLetter(record, DeadLetterCause.INVALID_VALUE,
          "Inventory record without a key"));
      return;
    }
    if (record.value == null) {
      InventoryKeys.vmIdOf(key).ifPresent(vmId -> out.collect(gone(vmId, record.timestamp)));
      InventoryKeys.hostIdOf(key).map(hostId -> goneHost(hostId, record.timestamp)).ifPresent(out::collect);
      return;
    }
    InventoryRecord inventory = decoder.decode(record, letter -> ctx.output(DecodeRecords.DEAD_LETTERS, letter));
    if (inventory == null) {
      return;
    }
    if (inventory.getEntity() instanceof VmInventory vm) {
      out.collect(present(vm));
    } else if (inventory.getEntity() instanceof HostInventory host) {
      T kept = presentHost(host);
      if (kept != null) {
        out.collect(kept);
      }
    }
  }
}
