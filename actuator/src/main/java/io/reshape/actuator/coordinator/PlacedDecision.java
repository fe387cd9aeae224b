package io.reshape.actuator.coordinator;

import io.reshape.events.Decision;
import io.reshape.events.InventoryRecord;
import io.reshape.events.VmInventory;

/** A decision with the inventory record of its VM (null when the inventory has none). */
record PlacedDecision(Decision decision, VmInventory vm) {

  static PlacedDecision of(Decision decision, InventoryRecord record) {
    return new PlacedDecision(decision, record != null && record.getEntity() instanceof VmInventory vm ? vm : null);
  }
}
