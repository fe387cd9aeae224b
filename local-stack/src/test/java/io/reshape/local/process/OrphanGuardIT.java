package io.reshape.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A child process of the local stack never outlives the JVM that started it. */
@Timeout(60)
class OrphanGuardIT {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "parent killed {0} ms after starting the child")
  @ValueSource(ints = {0, 3000})
  void aChildEndsWhenItsParentIsKilled(int delayMillis) throws Exception {
    Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ParentOfSleeper.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    long childPid;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("child ")) {
        // the parent's log lines
      }
      assertThat(line).as("the parent's report of its child").isNotNull();
      childPid = Long.parseLong(line.substring("child ".length()).trim());
    }
    ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
    assertThat(child.isAlive()).isTrue();

    // SIGKILL, so no shutdown hook of the parent runs; at once, the child JVM is still starting.
    Thread.sleep(delayMillis);
    parent.destroyForcibly().waitFor();

    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (child.isAlive() && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    boolean orphaned = child.isAlive();
    child.destroyForcibly();
    assertThat(orphaned).as("the child outlived its parent").isFalse();
    assertThat(dir.resolve("sleeper.log")).content().contains("is gone; stopping");
  }

  @Test
  void closingAChildStopsIt() throws Exception {
    String testClasses = Path.of(Sleeper.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    ChildJvm child = ChildJvm.start("sleeper", List.of("-Xmx32m"), List.of(testClasses), Sleeper.class.getName(), List.of(), dir);
    assertThat(child.isAlive()).isTrue();
    child.close();
    assertThat(child.isAlive()).isFalse();
  }
}
