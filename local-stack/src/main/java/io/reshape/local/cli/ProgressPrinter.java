package io.reshape.local.cli;

import io.reshape.local.recording.ProgressBar;
import io.reshape.local.recording.TransferProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Shows a transfer's progress while it runs: redrawn in place twice a second on a terminal, every
 * ten seconds otherwise (a log file gets no escape codes), and once more when it ends.
 */
final class ProgressPrinter {

  private static final Duration ON_A_TERMINAL = Duration.ofMillis(500);
  private static final Duration OTHERWISE = Duration.ofSeconds(10);

  private final PrintStream out;
  private final TransferProgress progress;
  private final boolean terminal = System.console() != null;
  private int linesDrawn;

  private ProgressPrinter(PrintStream out, TransferProgress progress) {
    this.out = out;
    this.progress = progress;
  }

  /** Runs {@code transfer}, showing {@code progress} on {@code out} meanwhile. */
  static <T> T showWhile(PrintStream out, TransferProgress progress, Callable<T> transfer) throws Exception {
    ProgressPrinter printer = new ProgressPrinter(out, progress);
    Thread thread = new Thread(printer::drawUntilInterrupted, "progress");
    thread.setDaemon(true);
    thread.start();
    try {
      return transfer.call();
    } finally {
      thread.interrupt();
      thread.join();
      printer.draw();
    }
  }

  private void drawUntilInterrupted() {
    try {
      while (true) {
        Thread.sleep((terminal ? ON_A_TERMINAL : OTHERWISE).toMillis());
        draw();
      }
    } catch (InterruptedException e) {
      // The transfer has ended.
    }
  }

  private void draw() {
    List<String> lines = ProgressBar.render(progress.lines());
    if (terminal && linesDrawn > 0) {
      // Back to the first line drawn last time, and clear from there down.
      out.print("\033[" + linesDrawn + "F\033[J");
    }
    lines.forEach(out::println);
    out.flush();
    linesDrawn = lines.size();
  }
}
