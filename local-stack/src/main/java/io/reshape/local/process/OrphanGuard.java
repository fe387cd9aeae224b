package io.reshape.local.process;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Entry point of every child JVM the local stack starts: it halts the child as soon as the parent
 * process is gone, however the parent ended (even by SIGKILL, when no shutdown hook runs), then
 * runs the real main class. Uses the JDK only, because it runs on the child's classpath.
 *
 * <p>Arguments: the main class, then its arguments.
 */
public final class OrphanGuard {

  private OrphanGuard() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: OrphanGuard <main class> [arguments...]");
    }
    ProcessHandle parent = ProcessHandle.current().parent()
        .orElseThrow(() -> new IllegalStateException("No parent process to watch"));
    parent.onExit().thenRun(() -> {
      System.err.println("Parent process " + parent.pid() + " is gone; stopping");
      Runtime.getRuntime().halt(3);
    });
    try {
      Class.forName(args[0]).getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
