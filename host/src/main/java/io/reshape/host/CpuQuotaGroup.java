package io.reshape.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cgroup of Reshape's own (cgroup v1, {@code cpu} controller) that caps the CPU time of some
 * threads, a VM's vCPUs: they are moved in, capped with CFS bandwidth control
 * ({@code cpu.cfs_quota_us} per {@code cpu.cfs_period_us}), and moved back to the cgroups they came
 * from when it is closed. Where each thread came from is kept in a file of the caller's (cgroupfs
 * takes no files of its own), so that a group left by a crash can be found by its name and undone
 * ({@link #undo}).
 */
public final class CpuQuotaGroup implements AutoCloseable {

  /** Where this machine has the cgroup v1 {@code cpu} controller. */
  public static final Path CONTROLLER = Path.of("/sys/fs/cgroup/cpu");

  private final Path controller;
  private final Path group;
  private final Path record;
  /** Each thread and the cgroup (relative to the controller) it was in. */
  private final Map<Long, String> origins;

  private CpuQuotaGroup(Path controller, Path group, Path record, Map<Long, String> origins) {
    this.controller = controller;
    this.group = group;
    this.record = record;
    this.origins = origins;
  }

  /** Whether this host has a cgroup v1 {@code cpu} controller with bandwidth control that can be written. */
  public static boolean available(Path controller) {
    return Files.isWritable(controller.resolve("cpu.cfs_quota_us")) && Files.isWritable(controller);
  }

  /** The group's directory for {@code name}: the same for whoever looks for it later. */
  public static Path of(Path controller, String name) {
    return controller.resolve("reshape-" + name.replaceAll("[^A-Za-z0-9_.-]", "_"));
  }

  /**
   * Makes the group {@code name} and moves threads {@code tids} of process {@code pid} into it,
   * uncapped so far; the cgroup each came from is kept, and written to {@code records/NAME} first.
   */
  public static CpuQuotaGroup create(ProcFs proc, Path controller, Path records, String name, long pid, List<Long> tids)
      throws IOException {
    Path group = of(controller, name);
    Path record = Files.createDirectories(records).resolve(group.getFileName().toString());
    Map<Long, String> origins = new LinkedHashMap<>();
    StringBuilder lines = new StringBuilder();
    for (long tid : tids) {
      String origin = proc.cpuCgroup(pid, tid).orElseThrow(() -> new IOException("Thread " + tid + " of " + pid + " is gone"));
      origins.put(tid, origin);
      lines.append(tid).append(' ').append(origin).append('\n');
    }
    Files.writeString(record, lines);
    Files.createDirectories(group);
    CpuQuotaGroup created = new CpuQuotaGroup(controller, group, record, origins);
    for (long tid : tids) {
      Files.writeString(group.resolve("tasks"), Long.toString(tid));
    }
    return created;
  }

  /** Caps the threads, together, to {@code quotaMicros} of CPU time in every {@code periodMicros}. */
  public void limit(long quotaMicros, long periodMicros) throws IOException {
    // The quota may not exceed what a new, shorter period allows: lift it first.
    Files.writeString(group.resolve("cpu.cfs_quota_us"), "-1");
    Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(periodMicros));
    Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros));
  }

  /** How many periods the threads were held back in, since the group was made. */
  public long throttledPeriods() throws IOException {
    for (String line : Files.readAllLines(group.resolve("cpu.stat"))) {
      if (line.startsWith("nr_throttled ")) {
        return Long.parseLong(line.substring("nr_throttled ".length()).trim());
      }
    }
    throw new ProcFormatException(group.resolve("cpu.stat") + " has no nr_throttled line");
  }

  /** Moves the threads back where they were, uncapped, and removes the group. */
  @Override
  public void close() throws IOException {
    restore(controller, group, record, origins);
  }

  /**
   * Undoes the group {@code name} left by an executor that stopped while it was there: its threads
   * go back where its record in {@code records} says they came from. Empty when there is no such group.
   */
  public static Optional<String> undo(Path controller, Path records, String name) throws IOException {
    Path group = of(controller, name);
    Path record = records.resolve(group.getFileName().toString());
    if (!Files.isDirectory(group)) {
      Files.deleteIfExists(record);
      return Optional.empty();
    }
    Map<Long, String> origins = new LinkedHashMap<>();
    if (Files.exists(record)) {
      for (String line : Files.readAllLines(record)) {
        String[] parts = line.split(" ", 2);
        origins.put(Long.parseLong(parts[0]), parts[1]);
      }
    }
    restore(controller, group, record, origins);
    return Optional.of(origins.size() + " threads moved back, " + group + " removed");
  }

  private static void restore(Path controller, Path group, Path record, Map<Long, String> origins) throws IOException {
    Files.writeString(group.resolve("cpu.cfs_quota_us"), "-1");
    for (Map.Entry<Long, String> origin : origins.entrySet()) {
      try {
        Files.writeString(controller.resolve(origin.getValue().replaceFirst("^/", "")).resolve("tasks"),
            Long.toString(origin.getKey()));
      } catch (IOException e) {
        // A thread that ended has nowhere to go back to; the group can go all the same.
        if (Files.readString(group.resolve("tasks")).contains(origin.getKey() + "\n")) {
          throw e;
        }
      }
    }
    Files.delete(group);
    Files.deleteIfExists(record);
  }
}
