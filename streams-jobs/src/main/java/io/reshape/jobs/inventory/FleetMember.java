package io.reshape.jobs.inventory;

/**
 * A host or a VM of the inventory, and until when records may name it; a Flink POJO.
 */
public class FleetMember {

  /** Its inventory key ({@link io.reshape.schemas.InventoryKeys}). */
  public String key;
  /** Event time (ms) up to which records may name it: forever while it is listed, the time it left after. */
  public long listedUntil;

  public FleetMember() {}

  public static FleetMember listed(String key) {
    return of(key, Long.MAX_VALUE);
  }

  public static FleetMember left(String key, long at) {
    return of(key, at);
  }

  private static FleetMember of(String key, long listedUntil) {
    FleetMember member = new FleetMember();
    member.key = key;
    member.listedUntil = listedUntil;
    return member;
  }
}
