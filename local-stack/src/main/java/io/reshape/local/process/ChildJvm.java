package io.reshape.local.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java process started by the local stack, with its output in a log file. The child runs its
 * main class under {@link OrphanGuard}, so it ends when this JVM ends, however that happens.
 */
public final class ChildJvm implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);
  private static final Duration GRACE = Duration.ofSeconds(15);

  private final String name;
  private final Process process;
  private final Path log;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} in a new JVM.
   *
   * @param classpath the child's classpath entries; the guard is added in front
   * @param workDir where the guard class is staged; the log file goes here too
   */
  public static ChildJvm start(String name, List<String> jvmOptions, List<String> classpath, String mainClass,
      List<String> args, Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path log = workDir.resolve(name + ".log");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.add("-cp");
      List<String> entries = new ArrayList<>();
      entries.add(stageGuard(workDir).toString());
      entries.addAll(classpath);
      command.add(String.join(File.pathSeparator, entries));
      command.add(OrphanGuard.class.getName());
      command.add(Long.toString(ProcessHandle.current().pid()));
      command.add(mainClass);
      command.addAll(args);
      Process process = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      LOG.info("Started {} (pid {}), log in {}", name, process.pid(), log);
      return new ChildJvm(name, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + name, e);
    }
  }

  /**
   * Copies the guard's class file out of this JVM's classpath (a jar or a directory) into a
   * directory of its own, so the child's classpath gets that one class and nothing else of ours.
   */
  private static Path stageGuard(Path workDir) throws IOException {
    String resource = OrphanGuard.class.getName().replace('.', '/') + ".class";
    Path root = workDir.resolve("guard");
    Path target = root.resolve(resource);
    Files.createDirectories(target.getParent());
    try (InputStream in = OrphanGuard.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("Cannot find " + resource + " on the classpath");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return root;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Whether a child is ready to serve; an exception means not yet. */
  @FunctionalInterface
  public interface ReadinessProbe {
    boolean ready() throws Exception;
  }

  /**
   * Polls {@code probe} until the child is ready. Fails, with the end of the child's log, when the
   * child exits first or {@code timeout} passes.
   */
  public void awaitReady(Duration timeout, ReadinessProbe probe) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited during startup:\n" + logTail(30));
      }
      try {
        if (probe.ready()) {
          return;
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // Not ready yet.
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s:\n" + logTail(30));
      }
      Thread.sleep(200);
    }
  }

  /** Waits for the process to exit and returns its exit code. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s; see " + log);
    }
    return process.exitValue();
  }

  /** The last lines of the log, to explain a failure. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Ends the process at once (SIGKILL), as a crash would, and waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks the process to stop (SIGTERM), and kills it if it has not stopped after a grace period. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} did not stop within {} s; killing it", name, GRACE.toSeconds());
        process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
