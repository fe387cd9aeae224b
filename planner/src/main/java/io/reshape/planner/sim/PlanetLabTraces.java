package io.reshape.planner.sim;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the PlanetLab CPU traces (CoMon, as shipped with CloudSim 3.0.3): one folder per day
 * named {@code yyyyMMdd}, one file per VM named after it, one line per 300 s with the VM's CPU
 * utilisation as an integer percentage.
 */
public final class PlanetLabTraces {

  public static final Duration SAMPLE_PERIOD = Duration.ofSeconds(300);
  public static final int SAMPLES_PER_DAY = 288;

  private PlanetLabTraces() {}

  /** One VM's day: {@code utilisationPercent[i]} covers [i * 300 s, (i + 1) * 300 s). */
  public record VmTrace(String vm, int[] utilisationPercent) {}

  /** The day folders under {@code root}, oldest first. */
  public static List<Path> days(Path root) throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      return entries.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("\\d{8}")).sorted().toList();
    }
  }

  /** Every VM of one day folder, by name. */
  public static List<VmTrace> readDay(Path day) throws IOException {
    List<Path> files;
    try (Stream<Path> entries = Files.list(day)) {
      files = entries.filter(Files::isRegularFile).sorted().toList();
    }
    return read(files);
  }

  /**
   * Every VM of one day folder in the order {@link File#listFiles()} gives, the directory's own
   * order, as CloudSim reads them: which trace gets which VM type depends on it.
   */
  public static List<VmTrace> readDayAsListed(Path day) throws IOException {
    File[] listed = day.toFile().listFiles(File::isFile);
    if (listed == null) {
      throw new IOException(day + " is not a folder that can be read");
    }
    return read(Arrays.stream(listed).map(File::toPath).toList());
  }

  private static List<VmTrace> read(List<Path> files) throws IOException {
    List<VmTrace> traces = new ArrayList<>(files.size());
    for (Path file : files) {
      traces.add(readVm(file));
    }
    return traces;
  }

  /** One VM's file; it must hold exactly one day of percentages. */
  public static VmTrace readVm(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    if (lines.size() != SAMPLES_PER_DAY) {
      throw new IOException(file + ": " + lines.size() + " lines, expected " + SAMPLES_PER_DAY + " (one per 300 s)");
    }
    int[] percent = new int[SAMPLES_PER_DAY];
    for (int i = 0; i < SAMPLES_PER_DAY; i++) {
      percent[i] = percentAt(file, i + 1, lines.get(i));
    }
    return new VmTrace(file.getFileName().toString(), percent);
  }

  private static int percentAt(Path file, int lineNumber, String line) throws IOException {
    try {
      int value = Integer.parseInt(line.strip());
      if (value >= 0 && value <= 100) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the line
    }
    throw new IOException(file + " line " + lineNumber + ": '" + line + "' is not a CPU utilisation percentage (0-100)");
  }
}
