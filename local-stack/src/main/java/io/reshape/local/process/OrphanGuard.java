package io.reshape.local.process;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of every child JVM the local stack starts: it halts the child as soon as the parent
 * process is gone, however the parent ended (even by SIGKILL, when no shutdown hook runs), then
 * runs the real main class. Uses the JDK only, because it runs on the child's classpath.
 *
 * <p>The parent passes its own pid: a parent that dies while the child JVM is still starting has
 * already handed the child to another process, so the child's parent at startup proves nothing.
 * The guard polls the pid of its parent itself; an orphan is handed to a new parent at once.
 *
 * <p>Arguments: the parent's pid, the main class, then its arguments.
 */
public final class OrphanGuard {

  private static final long POLL_MILLIS = 500;

  private OrphanGuard() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: OrphanGuard <parent pid> <main class> [arguments...]");
    }
    long parent = Long.parseLong(args[0]);
    Thread watch = new Thread(() -> {
      while (parentPid().orElse(-1L) == parent) {
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
      System.err.println("Parent process " + parent + " is gone; stopping");
      Runtime.getRuntime().halt(3);
    }, "orphan-guard");
    watch.setDaemon(true);
    watch.start();
    // Ctrl-C in a terminal signals the whole process group; the parent stops its children itself,
    // in order, after it has finished with them.
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
    try {
      Class.forName(args[1]).getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Optional<Long> parentPid() {
    return ProcessHandle.current().parent().map(ProcessHandle::pid);
  }
}
