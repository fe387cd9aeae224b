package io.reshape.jobs.idleness;

import io.reshape.events.DeadLetterCause;
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
 * Reads the compacted inventory topic into VM placements: a VM record says where the VM runs, a
 * tombstone on a VM key says it is gone. Host records are not needed here and pass by.
 */
public class DecodeVmPlacements extends ProcessFunction<RawRecord, VmPlacement> {

  private static final long serialVersionUID = 1L;

  private final RawRecordDecoder<InventoryRecord> decoder;

  public DecodeVmPlacements(Map<String, String> registryConfig, String stage) {
    this.decoder = new RawRecordDecoder<>(InventoryRecord.class, registryConfig, stage);
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<VmPlacement> out) {
    String key = record.key == null ? null : new String(record.key, StandardCharsets.UTF_8);
    if (key == null) {
      ctx.output(DecodeRecords.DEAD_LETTERS, decoder.deadLetter(record, DeadLetterCause.INVALID_VALUE,
          "Inventory record without a key"));
      return;
    }
    if (record.value == null) {
      InventoryKeys.vmIdOf(key).ifPresent(vmId -> out.collect(VmPlacement.gone(vmId)));
      return;
    }
    InventoryRecord inventory = decoder.decode(record, letter -> ctx.output(DecodeRecords.DEAD_LETTERS, letter));
    if (inventory != null && inventory.getEntity() instanceof VmInventory vm) {
      out.collect(VmPlacement.present(vm.getVmId(), vm.getHostId(), vm.getMemoryBytes()));
    }
  }
}
