package io.reshape.local.evaluation;

import io.reshape.jobs.evaluation.OfflineEvaluation;
import io.reshape.local.LocalStack;
import io.reshape.planner.PlannerSettings;
import io.reshape.planner.sim.PlanetLabDay;
import io.reshape.planner.sim.Scoreboard;
import io.reshape.planner.sim.SimDatacenter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code reshape evaluate}: the planner on PlanetLab days, offline or through the pipeline, scored
 * as CloudSim scores its policies, one SCORE line a day, then a table beside the published figures
 * and each day's packing limit.
 */
public final class Evaluation {

  /** The policy the goals are set against. */
  static final String REFERENCE = "LR-MMT-1.2";
  private static final DateTimeFormatter DAY_NAME = DateTimeFormatter.BASIC_ISO_DATE;

  /** One day's outcome. */
  public record DayResult(PlanetLabDay day, Scoreboard.Score score, long decisions, Duration wall, List<Duration> roundTrips) {}

  private final PlannerSettings planner;
  private final boolean offline;
  private final PrintStream out;
  private final PrintStream progress;
  private final Path workDir;

  /**
   * @param progress where progress goes while a day runs (a terminal's standard error)
   * @param workDir where pipeline runs keep their stacks' data
   */
  public Evaluation(PlannerSettings planner, boolean offline, PrintStream out, PrintStream progress, Path workDir) {
    this.planner = planner;
    this.offline = offline;
    this.out = out;
    this.progress = progress;
    this.workDir = workDir;
  }

  /** The day folders of {@code folder}: itself when it holds traces, else its sub-folders that do, by name. */
  public static List<Path> days(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(folder + " is not a folder of PlanetLab traces");
    }
    if (holdsTraces(folder)) {
      return List.of(folder);
    }
    List<Path> days = new ArrayList<>();
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path dir : entries.filter(Files::isDirectory).sorted().toList()) {
        if (holdsTraces(dir)) {
          days.add(dir);
        }
      }
    }
    if (days.isEmpty()) {
      throw new IllegalArgumentException(folder + " holds no day of PlanetLab traces (a folder of files, one per VM)");
    }
    return days;
  }

  private static boolean holdsTraces(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.anyMatch(p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")
          && !p.getFileName().toString().endsWith(".md"));
    }
  }

  /** Where a day's event time starts: its date when its folder is named yyyyMMdd, else 2011-01-01. */
  static Instant start(String dayName) {
    try {
      return LocalDate.parse(dayName, DAY_NAME).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      return LocalDate.of(2011, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
  }

  public List<DayResult> run(Path folder) throws Exception {
    ReferenceFigures references = ReferenceFigures.near(folder);
    List<DayResult> results = new ArrayList<>();
    for (Path dir : days(folder)) {
      PlanetLabDay day = PlanetLabDay.load(dir);
      DayResult result = run(day);
      results.add(result);
      out.println(scoreLine(result));
    }
    out.println();
    table(results, references).forEach(out::println);
    return results;
  }

  private DayResult run(PlanetLabDay day) throws Exception {
    Instant began = Instant.now();
    Instant start = start(day.name());
    int steps = PlanetLabDay.STEPS;
    if (offline) {
      OfflineEvaluation.Run run = new OfflineEvaluation(planner).run(day, SimDatacenter.HOSTS, start, steps,
          (step, score, decisions) -> progress(day, step, score, decisions, null));
      progress.println();
      return new DayResult(day, run.score(), run.decisions().size(), Duration.between(began, Instant.now()), List.of());
    }
    Path dir = workDir.resolve(day.name());
    try (LocalStack stack = LocalStack.start(dir.resolve("stack"))) {
      PipelineEvaluation.Run run = new PipelineEvaluation(stack, planner, dir.resolve("pipeline")).run(day, SimDatacenter.HOSTS,
          start, steps, (step, score, decisions, roundTrip) -> progress(day, step, score, decisions, roundTrip));
      progress.println();
      return new DayResult(day, run.score(), run.decisions().size(), Duration.between(began, Instant.now()), run.roundTrips());
    }
  }

  private void progress(PlanetLabDay day, int step, Scoreboard.Score score, long decisions, Duration roundTrip) {
    progress.printf(Locale.ROOT, "\r%s step %d/%d, %d decisions, %d migrations, %.1f kWh so far%s   ", day.name(), step + 1,
        PlanetLabDay.STEPS, decisions, score.migrations(), score.energyKwh(),
        roundTrip == null ? "" : String.format(Locale.ROOT, ", last round trip %d ms", roundTrip.toMillis()));
    progress.flush();
  }

  static String scoreLine(DayResult r) {
    Scoreboard.Score s = r.score();
    return String.format(Locale.ROOT,
        "SCORE day=%s vms=%d mean_demand_mips=%.0f energy_kwh=%.2f migrations=%d slatah=%.2f pdm=%.4f slav=%.5f esv=%.6f wall_s=%.1f",
        r.day().name(), r.day().vmCount(), r.day().meanRequestedMips(), s.energyKwh(), s.migrations(), 100 * s.slatah(),
        100 * s.pdm(), 100 * s.slav(), s.esv(), r.wall().toMillis() / 1000.0);
  }

  static List<String> table(List<DayResult> results, ReferenceFigures references) {
    List<String> lines = new ArrayList<>();
    lines.add("| day | energy kWh | packing limit kWh | over the limit | migrations | SLATAH % | PDM % | SLAV % | "
        + REFERENCE + " kWh / migrations | best CloudSim SLAV % | paged out GiB-h | RAM over 4 GiB (host time) |");
    lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (DayResult r : results) {
      Scoreboard.Score s = r.score();
      String name = r.day().name();
      double limit = r.day().packingLimitKwh();
      String reference = references.of(name, REFERENCE)
          .map(f -> String.format(Locale.ROOT, "%.2f / %,d", f.energyKwh(), f.migrations())).orElse("-");
      String best = references.bestSlav(name).map(f -> String.format(Locale.ROOT, "%.5f (%s)", f.slavPercent(), f.policy()))
          .orElse("-");
      lines.add(String.format(Locale.ROOT, "| %s | %.2f | %.1f | %+.0f%% | %,d | %.2f | %.4f | %.5f | %s | %s | %.0f | %.0f%% |",
          name, s.energyKwh(), limit, 100 * (s.energyKwh() / limit - 1), s.migrations(), 100 * s.slatah(), 100 * s.pdm(),
          100 * s.slav(), reference, best, s.pagedOutGibHours(), 100 * s.ramOvercommit()));
    }
    return lines;
  }
}
