package io.reshape.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.reshape.host.HostRequirements.Missing;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostRequirementsTest {

  @Test
  void aMissingRequirementFailsOnlyUnderCiOnAMachineWithKvm() {
    assertThat(HostRequirements.whenMissing(Map.of("CI", "true"), true)).isEqualTo(Missing.FAIL);
    assertThat(HostRequirements.whenMissing(Map.of("CI", "true"), false)).as("no /dev/kvm: nothing to run them on").isEqualTo(Missing.SKIP);
    assertThat(HostRequirements.whenMissing(Map.of(), true)).as("a developer's machine").isEqualTo(Missing.SKIP);
    assertThat(HostRequirements.whenMissing(Map.of("CI", "false"), true)).isEqualTo(Missing.SKIP);
  }

  @Test
  void aRequirementThatIsMetLetsTheTestGoOn() {
    assertThatCode(() -> HostRequirements.require(true, "never said")).doesNotThrowAnyException();
  }
}
