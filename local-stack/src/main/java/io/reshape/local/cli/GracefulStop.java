package io.reshape.local.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets Ctrl-C end a command cleanly: the JVM's shutdown hook asks the command to stop, then waits
 * until the command has closed what it holds and said what it did (a minute at most).
 */
final class GracefulStop {

  private static final long LONGEST_WAIT_SECONDS = 60;

  private GracefulStop() {}

  /** Runs {@code command}; a Ctrl-C meanwhile runs {@code stop} and waits for {@code command} to return. */
  static <T> T run(Runnable stop, Callable<T> command) throws Exception {
    CountDownLatch finished = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.run();
      try {
        finished.await(LONGEST_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "reshape-shutdown"));
    try {
      return command.call();
    } finally {
      finished.countDown();
    }
  }
}
