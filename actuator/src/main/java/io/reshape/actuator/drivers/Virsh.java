package io.reshape.actuator.drivers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** libvirt through its own client, {@code virsh} (Debian package libvirt-clients), on one connection URI. */
final class Virsh {

  private static final Duration ANSWER = Duration.ofSeconds(60);

  private final String uri;

  Virsh(String uri) {
    this.uri = uri;
  }

  String uri() {
    return uri;
  }

  /** Starts {@code virsh ARGS} without waiting for it: for commands that last, as a migration does. */
  Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("virsh", "-q", "-c", uri));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /**
   * Runs {@code virsh ARGS} and returns what it printed.
   *
   * @throws IOException with what virsh said, when it fails
   */
  String run(String... args) throws IOException, InterruptedException {
    Process process = start(args);
    // Waited for before it is read, so that the wait has a limit: what virsh says fits a pipe's buffer.
    if (!process.waitFor(ANSWER.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("virsh " + String.join(" ", args) + " on " + uri + " gave no answer within " + ANSWER.toSeconds() + " s");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (process.exitValue() != 0) {
      throw new IOException("virsh " + String.join(" ", args) + " on " + uri + " failed: " + output);
    }
    return output;
  }

  /** The domain's state ({@code running}, {@code paused}, {@code shut off}...); empty when libvirt has no such domain. */
  Optional<String> state(String domain) throws IOException, InterruptedException {
    try {
      return Optional.of(run("domstate", domain));
    } catch (IOException e) {
      if (e.getMessage().contains("failed to get domain") || e.getMessage().contains("Domain not found")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** A field of {@code domjobinfo} (e.g. {@code Total downtime}), as virsh prints it; empty when absent. */
  static Optional<String> field(String jobInfo, String name) {
    for (String line : jobInfo.split("\n")) {
      if (line.startsWith(name + ":")) {
        return Optional.of(line.substring(name.length() + 1).trim().replaceAll("\\s+", " "));
      }
    }
    return Optional.empty();
  }
}
