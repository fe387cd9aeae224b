package io.reshape.local.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudSim's published figures for the PlanetLab days, read from the README that comes with the
 * traces (a Markdown table: day, policy, energy kWh, migrations, SLATAH %, PDM %, SLAV %), so that
 * an evaluation prints them beside its own. Days without a row simply have none.
 */
public final class ReferenceFigures {

  private static final Pattern ROW = Pattern.compile(
      "^\\|\\s*(\\d{8})\\s*\\|\\s*([^|]+?)\\s*\\|\\s*([\\d.,]+)\\s*\\|\\s*([\\d,]+)\\s*\\|\\s*([\\d.-]+)\\s*\\|\\s*([\\d.-]+)\\s*\\|\\s*([\\d.-]+)\\s*\\|\\s*$");

  /** One policy's figures on one day; SLATAH, PDM and SLAV in percent, null where the table has '-'. */
  public record Figure(String day, String policy, double energyKwh, long migrations, Double slatahPercent, Double pdmPercent,
      Double slavPercent) {}

  private final List<Figure> figures;

  private ReferenceFigures(List<Figure> figures) {
    this.figures = List.copyOf(figures);
  }

  /** The figures in the README.md of {@code folder} or of the folder above it; none when there is none. */
  public static ReferenceFigures near(Path folder) throws IOException {
    for (Path readme : List.of(folder.resolve("README.md"), folder.toAbsolutePath().getParent().resolve("README.md"))) {
      if (Files.isRegularFile(readme)) {
        return parse(Files.readAllLines(readme));
      }
    }
    return new ReferenceFigures(List.of());
  }

  static ReferenceFigures parse(List<String> lines) {
    List<Figure> figures = new ArrayList<>();
    for (String line : lines) {
      Matcher m = ROW.matcher(line.strip());
      if (m.matches()) {
        figures.add(new Figure(m.group(1), m.group(2), number(m.group(3)), (long) number(m.group(4)), percent(m.group(5)),
            percent(m.group(6)), percent(m.group(7))));
      }
    }
    return new ReferenceFigures(figures);
  }

  private static double number(String text) {
    return Double.parseDouble(text.replace(",", ""));
  }

  private static Double percent(String text) {
    return text.equals("-") ? null : Double.parseDouble(text);
  }

  public Optional<Figure> of(String day, String policy) {
    return figures.stream().filter(f -> f.day().equals(day) && f.policy().equals(policy)).findFirst();
  }

  /** The day's lowest SLAV among the policies that have one. */
  public Optional<Figure> bestSlav(String day) {
    return figures.stream().filter(f -> f.day().equals(day) && f.slavPercent() != null)
        .min((a, b) -> Double.compare(a.slavPercent(), b.slavPercent()));
  }
}
