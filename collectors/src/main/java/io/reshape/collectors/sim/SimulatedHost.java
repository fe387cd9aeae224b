package io.reshape.collectors.sim;

import io.reshape.events.HostInventory;
import io.reshape.events.HostRole;
import java.util.Map;

/** A host of the simulated fleet: a two-socket server of common size. */
record SimulatedHost(String hostId, int cores, long memoryBytes) {

  static final double CORE_MIPS = 2660;

  HostInventory inventory() {
    return HostInventory.newBuilder()
        .setHostId(hostId)
        .setRole(HostRole.BARE_METAL)
        .setPhysicalMachineId(null)
        .setCores(cores)
        .setCoreMips(CORE_MIPS)
        .setMemoryBytes(memoryBytes)
        .setSwapBytes(memoryBytes / 4)
        .setKsmEnabled(false)
        .setPricePerHour(0.0)
        .setLabels(Map.of("simulated", "true"))
        .build();
  }
}
