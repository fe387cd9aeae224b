package io.reshape.jobs.inventory;

import io.reshape.schemas.InventoryKeys;
import java.time.Instant;
import java.util.function.Function;

/** Whether a record names a VM and a host the inventory lists at the record's event time. */
public final class FleetMembership {

  private FleetMembership() {}

  /**
   * What the record names that the inventory does not list, or null when it lists both.
   *
   * @param listedUntil the {@link FleetMember#listedUntil} of an inventory key, null for a key never listed
   */
  public static String unlisted(String vmId, String hostId, long eventTime, Function<String, Long> listedUntil) {
    String vm = unlisted("VM", InventoryKeys.vm(vmId), vmId, eventTime, listedUntil);
    return vm != null ? vm : unlisted("host", InventoryKeys.host(hostId), hostId, eventTime, listedUntil);
  }

  private static String unlisted(String kind, String key, String id, long eventTime, Function<String, Long> listedUntil) {
    Long until = listedUntil.apply(key);
    if (until == null) {
      return "The inventory lists no " + kind + " '" + id + "'";
    }
    return eventTime <= until ? null
        : "The " + kind + " '" + id + "' left the inventory at " + Instant.ofEpochMilli(until) + ", before this record's event time "
            + Instant.ofEpochMilli(eventTime);
  }
}
