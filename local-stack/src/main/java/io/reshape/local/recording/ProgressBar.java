package io.reshape.local.recording;

import io.reshape.local.recording.TransferProgress.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Draws a transfer's progress as text: a bar per topic with something to do, and a total. */
public final class ProgressBar {

  private static final int WIDTH = 24;

  private ProgressBar() {}

  public static List<String> render(List<Line> lines) {
    List<String> text = new ArrayList<>();
    long records = 0;
    long bytes = 0;
    long raw = 0;
    long done = 0;
    long total = 0;
    for (Line line : lines) {
      records += line.records();
      bytes += line.bytes();
      raw += line.raw();
      done += Math.min(line.done(), line.total());
      total += line.total();
      if (line.total() > 0) {
        text.add(row(line));
      }
    }
    text.add(row(new Line("total", records, bytes, raw, done, total)));
    return text;
  }

  private static String row(Line line) {
    int filled = (int) Math.round(line.fraction() * WIDTH);
    return String.format(Locale.ROOT, "%-20s [%s%s] %3d%% %,12d records %10s%s", line.topic(), "#".repeat(filled), "-".repeat(WIDTH - filled),
        (int) Math.floor(line.fraction() * 100), line.records(), size(line.bytes()),
        line.raw() == 0 ? "" : String.format(Locale.ROOT, " (%,d raw)", line.raw()));
  }

  /** A byte count as people read it: 512 B, 3.1 KiB, 12.0 MiB, 1.4 GiB. */
  public static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes / 1024.0;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
