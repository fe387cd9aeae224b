package io.reshape.jobs.planner;

import io.reshape.events.DeadLetterCause;
import io.reshape.events.InventoryRecord;
import io.reshape.jobs.kafka.DecodeRecords;
import io.reshape.jobs.kafka.RawRecord;
import io.reshape.jobs.kafka.RawRecordDecoder;
import io.reshape.planner.PlannerInput;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Reads the compacted inventory topic into planner inputs: hosts and VMs, and tombstones for those gone. */
public class DecodePlannerInventory extends ProcessFunction<RawRecord, PlannerInput> {

  private static final long serialVersionUID = 1L;

  private final RawRecordDecoder<InventoryRecord> decoder;

  public DecodePlannerInventory(Map<String, String> registryConfig, String stage) {
    this.decoder = new RawRecordDecoder<>(InventoryRecord.class, registryConfig, stage);
  }

  @Override
  public void processElement(RawRecord record, Context ctx, Collector<PlannerInput> out) {
    if (record.key == null) {
      ctx.output(DecodeRecords.DEAD_LETTERS, decoder.deadLetter(record, DeadLetterCause.INVALID_VALUE, "Inventory record without a key"));
      return;
    }
    String key = new String(record.key, StandardCharsets.UTF_8);
    InventoryRecord inventory = record.value == null ? null
        : decoder.decode(record, letter -> ctx.output(DecodeRecords.DEAD_LETTERS, letter));
    if (record.value == null || inventory != null) {
      out.collect(PlannerInput.inventory(key, inventory, record.timestamp * 1000));
    }
  }
}
