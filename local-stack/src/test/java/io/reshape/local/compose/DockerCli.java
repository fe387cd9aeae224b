package io.reshape.local.compose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The docker and docker-compose commands of this machine, run and waited for. */
final class DockerCli {

  private DockerCli() {}

  /** Whether a Docker engine answers the docker command. */
  static boolean engineAnswers() {
    try {
      return run(Path.of("."), Map.of(), Duration.ofSeconds(20), "docker", "info").exitCode() == 0;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Runs a command; fails, with its output, when it ends with another code than 0. */
  static String check(Path dir, Map<String, String> env, Duration timeout, String... command) {
    Result result = run(dir, env, timeout, command);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " ended with " + result.exitCode() + ":\n" + result.tail());
    }
    return result.output();
  }

  static Result run(Path dir, Map<String, String> env, Duration timeout, String... command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      // Read while it runs: a full pipe would stop it.
      byte[][] output = new byte[1][];
      Thread reader = new Thread(() -> {
        try {
          output[0] = process.getInputStream().readAllBytes();
        } catch (IOException e) {
          output[0] = ("(output unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8);
        }
      });
      reader.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        reader.join(5_000);
        throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout.toSeconds() + " s");
      }
      reader.join();
      return new Result(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run " + command[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The id of the container of {@code service} in the compose project whose name starts with {@code project}. */
  static String containerOf(String project, String service) {
    String ids = check(Path.of("."), Map.of(), Duration.ofSeconds(20), "docker", "ps", "-aq", "--filter", "name=" + project,
        "--filter", "label=com.docker.compose.service=" + service).trim();
    if (ids.isEmpty() || ids.contains("\n")) {
      throw new IllegalStateException("Not one container of service " + service + " in project " + project + ": '" + ids + "'");
    }
    return ids;
  }

  /** {@code docker inspect} of one field, e.g. {@code {{.State.Status}}}. */
  static String inspect(String container, String format) {
    return check(Path.of("."), Map.of(), Duration.ofSeconds(20), "docker", "inspect", "--format", format, container).trim();
  }

  /** Each container's memory in use, by service name, as {@code docker stats} reads it. */
  static List<String> memoryByContainer(String project) {
    String out = check(Path.of("."), Map.of(), Duration.ofSeconds(60), "docker", "stats", "--no-stream", "--format",
        "{{.Name}} {{.MemUsage}}");
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith(project)) {
        lines.add(line.substring(project.length()).replaceFirst("^[a-z0-9]*_", ""));
      }
    }
    return lines;
  }

  record Result(int exitCode, String output) {
    String tail() {
      String[] lines = output.split("\n");
      return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
    }
  }
}
