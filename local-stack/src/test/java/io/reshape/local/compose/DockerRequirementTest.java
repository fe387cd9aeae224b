package io.reshape.local.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The compose test skips where no Docker engine answers; under CI=true on a machine that has one
 * installed (.ci/run installs and starts it), a skip would hide a broken engine, so it must answer.
 */
class DockerRequirementTest {

  @Test
  void underCiAnInstalledDockerEngineAnswers() {
    boolean installed = Stream.of("/usr/bin/dockerd", "/usr/sbin/dockerd").map(Path::of).anyMatch(Files::isExecutable);
    assumeTrue("true".equals(System.getenv("CI")) && installed, "runs under CI=true where dockerd is installed");
    assertThat(DockerCli.engineAnswers()).as("docker info answers (docker/dockerd.sh starts the engine)").isTrue();
  }
}
