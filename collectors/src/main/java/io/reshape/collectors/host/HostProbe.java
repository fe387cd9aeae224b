package io.reshape.collectors.host;

import io.reshape.events.HostInventory;
import io.reshape.events.HostRole;
import io.reshape.host.ProcFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What this host offers its guests: cores and their speed, memory, swap, and whether KSM runs. */
public final class HostProbe {

  private final ProcFs proc;
  private final Path sys;

  public HostProbe(ProcFs proc, Path sys) {
    this.proc = proc;
    this.sys = sys;
  }

  public static HostProbe system() {
    return new HostProbe(ProcFs.system(), Path.of("/sys"));
  }

  public HostInventory inventory(String hostId) throws IOException {
    int cores = 0;
    double bogomips = 0;
    for (String line : proc.cpuinfo()) {
      if (line.startsWith("processor")) {
        cores++;
      } else if (line.startsWith("bogomips") && bogomips == 0) {
        bogomips = Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return HostInventory.newBuilder()
        .setHostId(hostId)
        .setRole(HostRole.BARE_METAL)
        .setPhysicalMachineId(null)
        .setCores(cores)
        // The kernel's own estimate of a core's speed: BogoMIPS, about twice the clock in MHz.
        .setCoreMips(bogomips / 2)
        .setMemoryBytes(proc.meminfo("MemTotal"))
        .setSwapBytes(proc.meminfo("SwapTotal"))
        .setKsmEnabled(ksmRunning())
        .setPricePerHour(0.0)
        .setLabels(Map.of())
        .build();
  }

  /** Whether kernel same-page merging is on ({@code /sys/kernel/mm/ksm/run} is 1). */
  public boolean ksmRunning() throws IOException {
    Path run = sys.resolve("kernel/mm/ksm/run");
    return Files.exists(run) && Files.readString(run, StandardCharsets.UTF_8).trim().equals("1");
  }
}
