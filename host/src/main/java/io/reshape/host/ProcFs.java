package io.reshape.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads what the kernel says of processes and threads under /proc (or another root, in tests). */
public final class ProcFs {

  private final Path root;

  public ProcFs(Path root) {
    this.root = root;
  }

  /** Where this /proc is. */
  public Path root() {
    return root;
  }

  public static ProcFs system() {
    return new ProcFs(Path.of("/proc"));
  }

  /**
   * The scheduler counters of thread {@code tid} of process {@code pid}; empty when the thread is
   * gone.
   *
   * @throws ProcFormatException when a file does not read as expected
   */
  public Optional<ThreadCounters> thread(long pid, long tid) throws IOException {
    Path task = root.resolve(Long.toString(pid)).resolve("task").resolve(Long.toString(tid));
    try {
      String schedstat = Files.readString(task.resolve("schedstat"), StandardCharsets.UTF_8).trim();
      String[] fields = schedstat.split("\\s+");
      if (fields.length < 2) {
        throw new ProcFormatException(task.resolve("schedstat") + " has " + fields.length + " fields, not 3: '" + schedstat + "'");
      }
      // status has some fifty lines; read it as one string and pick the two counters out.
      String status = Files.readString(task.resolve("status"), StandardCharsets.ISO_8859_1);
      return Optional.of(new ThreadCounters(
          number(fields[0], task.resolve("schedstat")),
          number(fields[1], task.resolve("schedstat")),
          statusField(status, "voluntary_ctxt_switches", task),
          statusField(status, "nonvoluntary_ctxt_switches", task)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * How much of process {@code pid}'s memory is resident and how much swapped out, bytes
   * ({@code VmRSS} and {@code VmSwap}); empty when the process is gone.
   */
  public Optional<MemoryUse> memoryUse(long pid) throws IOException {
    Path process = root.resolve(Long.toString(pid));
    try {
      String status = Files.readString(process.resolve("status"), StandardCharsets.ISO_8859_1);
      return Optional.of(new MemoryUse(kibibytes(statusField(status, "VmRSS", process)),
          kibibytes(statusField(status, "VmSwap", process))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * The cgroup (v1) of the {@code cpu} controller thread {@code tid} of process {@code pid} is in,
   * as {@code /proc/PID/task/TID/cgroup} gives it; empty when the thread is gone.
   */
  public Optional<String> cpuCgroup(long pid, long tid) throws IOException {
    Path file = root.resolve(Long.toString(pid)).resolve("task").resolve(Long.toString(tid)).resolve("cgroup");
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] fields = line.split(":", 3);
        if (fields.length == 3 && List.of(fields[1].split(",")).contains("cpu")) {
          return Optional.of(fields[2]);
        }
      }
      throw new ProcFormatException(file + " has no line for the cpu controller (cgroup v1)");
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** What a process has resident and swapped out, bytes. */
  public record MemoryUse(long resident, long swapped) {}

  private static long kibibytes(long value) {
    return value * 1024;
  }

  /** The pids of the processes there are now. */
  public List<Long> processes() throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
          .map(Long::parseLong).sorted().toList();
    }
  }

  /** A process's command line, argument by argument; empty when the process is gone. */
  public Optional<List<String>> commandLine(long pid) throws IOException {
    try {
      String raw = new String(Files.readAllBytes(root.resolve(Long.toString(pid)).resolve("cmdline")), StandardCharsets.UTF_8);
      return Optional.of(raw.isEmpty() ? List.of() : List.of(raw.split("\0")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Where a QEMU process keeps a guest's RAM: the anonymous read-write mapping of exactly the
   * guest's memory size. Empty when there is none, or more than one to choose from.
   */
  public Optional<Long> guestRam(long pid, long memoryBytes) throws IOException {
    List<Long> candidates = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(root.resolve(Long.toString(pid)).resolve("maps"), StandardCharsets.UTF_8)) {
        String[] fields = line.trim().split("\\s+");
        String[] range = fields[0].split("-");
        long start = Long.parseUnsignedLong(range[0], 16);
        long end = Long.parseUnsignedLong(range[1], 16);
        boolean anonymous = fields.length < 6 && fields[4].equals("0");
        if (end - start == memoryBytes && fields[1].startsWith("rw") && anonymous) {
          candidates.add(start);
        }
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
  }

  /** The file through which a process's memory is read. */
  public Path memory(long pid) {
    return root.resolve(Long.toString(pid)).resolve("mem");
  }

  /**
   * A table of the network namespace process {@code pid} is in ({@code /proc/PID/net/NAME}, e.g.
   * {@code dev}, {@code arp}, {@code nf_conntrack}); empty when there is no such table or process.
   */
  public Optional<List<String>> netTable(long pid, String name) throws IOException {
    try {
      return Optional.of(Files.readAllLines(root.resolve(Long.toString(pid)).resolve("net").resolve(name), StandardCharsets.US_ASCII));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Which network namespace process {@code pid} is in (e.g. {@code net:[4026531840]}); empty when it is gone. */
  public Optional<String> netNamespace(long pid) throws IOException {
    try {
      return Optional.of(Files.readSymbolicLink(root.resolve(Long.toString(pid)).resolve("ns").resolve("net")).toString());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** The tap interface behind descriptor {@code fd} of process {@code pid} (the {@code iff:} line of its fdinfo), if it is one. */
  public Optional<String> tapOfDescriptor(long pid, int fd) throws IOException {
    try {
      for (String line : Files.readAllLines(root.resolve(Long.toString(pid)).resolve("fdinfo").resolve(Integer.toString(fd)))) {
        if (line.startsWith("iff:")) {
          return Optional.of(line.substring("iff:".length()).trim());
        }
      }
      return Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** A field of /proc/meminfo, bytes. */
  public long meminfo(String field) throws IOException {
    for (String line : Files.readAllLines(root.resolve("meminfo"), StandardCharsets.UTF_8)) {
      if (line.startsWith(field + ":")) {
        String[] parts = line.substring(field.length() + 1).trim().split("\s+");
        long value = number(parts[0], root.resolve("meminfo"));
        return parts.length > 1 && parts[1].equals("kB") ? value * 1024 : value;
      }
    }
    throw new ProcFormatException(root.resolve("meminfo") + " has no " + field + " line");
  }

  /** The lines of /proc/cpuinfo. */
  public List<String> cpuinfo() throws IOException {
    return Files.readAllLines(root.resolve("cpuinfo"), StandardCharsets.UTF_8);
  }

  private static long statusField(String status, String name, Path task) {
    // A leading newline makes the first line look like every other one.
    String lines = "\n" + status;
    String key = "\n" + name + ":";
    int at = lines.indexOf(key);
    if (at < 0) {
      throw new ProcFormatException(task.resolve("status") + " has no " + name + " line");
    }
    int from = at + key.length();
    int end = lines.indexOf('\n', from);
    // Memory fields end in their unit, kB.
    return number(lines.substring(from, end < 0 ? lines.length() : end).replace("kB", "").trim(), task.resolve("status"));
  }

  private static long number(String text, Path file) {
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new NumberFormatException("negative");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ProcFormatException(file + ": '" + text + "' is not a counter");
    }
  }
}
