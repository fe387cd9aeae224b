package io.reshape.jobs.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.schemas.InventoryKeys;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetMembershipTest {

  private final Map<String, Long> listed = new HashMap<>();

  @Test
  void aRecordOfAListedVmOnAListedHostIsAccepted() {
    listed.put(InventoryKeys.vm("vm-a"), Long.MAX_VALUE);
    listed.put(InventoryKeys.host("host-1"), Long.MAX_VALUE);
    assertThat(FleetMembership.unlisted("vm-a", "host-1", 1_000, listed::get)).isNull();
  }

  @Test
  void anUnknownVmOrHostIsNamed() {
    listed.put(InventoryKeys.host("host-1"), Long.MAX_VALUE);
    assertThat(FleetMembership.unlisted("vm-x", "host-1", 1_000, listed::get)).isEqualTo("The inventory lists no VM 'vm-x'");
    listed.put(InventoryKeys.vm("vm-x"), Long.MAX_VALUE);
    assertThat(FleetMembership.unlisted("vm-x", "host-9", 1_000, listed::get)).isEqualTo("The inventory lists no host 'host-9'");
  }

  @Test
  void aVmThatLeftIsAcceptedUpToTheTimeItLeft() {
    listed.put(InventoryKeys.vm("vm-a"), 5_000L);
    listed.put(InventoryKeys.host("host-1"), Long.MAX_VALUE);
    assertThat(FleetMembership.unlisted("vm-a", "host-1", 5_000, listed::get)).isNull();
    assertThat(FleetMembership.unlisted("vm-a", "host-1", 5_001, listed::get))
        .startsWith("The VM 'vm-a' left the inventory at 1970-01-01T00:00:05Z");
  }
}
