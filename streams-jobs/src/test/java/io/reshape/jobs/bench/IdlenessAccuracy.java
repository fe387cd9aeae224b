package io.reshape.jobs.bench;

import io.reshape.planner.sim.PlanetLabTraces;
import io.reshape.planner.sim.PlanetLabTraces.VmTrace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well the idle-period predictor does on the PlanetLab traces, against the baseline "the
 * idle period lasts as long as the last one", one {@code BENCH <name> <value> <unit>} line per
 * figure. Usage: {@code IdlenessAccuracy [planetlab-folder]}; by default the nearest
 * {@code ../shared/data/planetlab} from the working folder up (from the repository or a module).
 *
 * <p>Every VM's day is replayed on its own ({@link TraceReplay}), for two definitions of an idle
 * sample: utilisation below 10 % ({@code u10}) and below 5 % ({@code u5}). The predictor's
 * constants were chosen on the day {@value #TUNING_DAY}; its figures are reported apart
 * ({@code tuning}) from those of the other days ({@code heldout}).
 */
public final class IdlenessAccuracy {

  static final String TUNING_DAY = "20110303";
  private static final Path SHARED_TRACES = Path.of("shared", "data", "planetlab");
  private static final String PASS_THE_FOLDER = "; pass the folder that holds the day folders (20110303, ...) as the argument";
  private static final int[] IDLE_BELOW_PERCENT = {10, 5};

  private IdlenessAccuracy() {}

  public static void main(String[] args) throws IOException {
    Path root = args.length > 0 ? Path.of(args[0]).toAbsolutePath().normalize() : sharedTraces();
    if (root == null) {
      fail("No PlanetLab folder ../" + SHARED_TRACES + " from " + Path.of("").toAbsolutePath() + " up" + PASS_THE_FOLDER);
    }
    if (!Files.isDirectory(root)) {
      fail("No PlanetLab folder at " + root + PASS_THE_FOLDER);
    }
    long started = System.nanoTime();
    Map<String, List<VmTrace>> days = new LinkedHashMap<>();
    for (Path day : PlanetLabTraces.days(root)) {
      days.put(day.getFileName().toString(), PlanetLabTraces.readDay(day));
    }
    if (days.isEmpty()) {
      fail("No day folders (yyyyMMdd) in " + root);
    }
    System.out.println("# " + days.size() + " days from " + root + ": " + days.keySet() + "; tuning day " + TUNING_DAY);
    System.out.println("# idle sample: utilisation below u% of a 300 s sample; IDLE after " + TraceReplay.ENTER_IDLE_AFTER
        + " idle samples in a row, ACTIVE again at the first busy one; both methods predict on entering IDLE");
    System.out.println("# claim T: predicted remaining idle time >= T; true when the VM then stayed idle >= T;"
        + " a period cut short by the end of the day counts only for the T it outlasted");
    for (int percent : IDLE_BELOW_PERCENT) {
      TraceReplay replay = new TraceReplay(PlanetLabTraces.SAMPLE_PERIOD.toMillis(), percent);
      AccuracyTally tuning = new AccuracyTally();
      AccuracyTally heldOut = new AccuracyTally();
      days.forEach((day, vms) -> {
        AccuracyTally tally = day.equals(TUNING_DAY) ? tuning : heldOut;
        vms.forEach(vm -> tally.add(replay.replay(vm.utilisationPercent())));
      });
      print(heldOut, "u" + percent + "-heldout");
      print(tuning, "u" + percent + "-tuning");
    }
    System.out.printf("# %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  /** The nearest ../shared/data/planetlab from the working folder up; null when there is none. */
  private static Path sharedTraces() {
    for (Path dir = Path.of("").toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(SHARED_TRACES))) {
        return dir.resolve(SHARED_TRACES);
      }
    }
    return null;
  }

  private static void print(AccuracyTally tally, String suffix) {
    if (!tally.isEmpty()) {
      tally.benchLines(suffix).forEach(System.out::println);
    }
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }
}
