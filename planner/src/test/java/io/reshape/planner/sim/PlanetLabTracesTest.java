package io.reshape.planner.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.planner.sim.PlanetLabTraces.VmTrace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanetLabTracesTest {

  @TempDir
  Path dir;

  private static Path resources() throws Exception {
    return Path.of(PlanetLabTracesTest.class.getResource("/planetlab").toURI());
  }

  @Test
  void readsEveryVmOfEveryDayFolder() throws Exception {
    List<Path> days = PlanetLabTraces.days(resources());
    assertThat(days).extracting(d -> d.getFileName().toString()).containsExactly("20110303");

    List<VmTrace> vms = PlanetLabTraces.readDay(days.get(0));
    assertThat(vms).extracting(VmTrace::vm).containsExactly(
        "146-179_surfsnel_dsl_internl_net_colostate_557",
        "pl2-higashi_ics_es_osaka-u_ac_jp_princeton_codeen",
        "vn4_cse_wustl_edu_upmc_ts");
    assertThat(vms).allSatisfy(vm -> assertThat(vm.utilisationPercent()).hasSize(PlanetLabTraces.SAMPLES_PER_DAY));
    VmTrace busy = vms.get(0);
    assertThat(Arrays.copyOf(busy.utilisationPercent(), 5)).containsExactly(24, 34, 29, 26, 26);
    assertThat(Arrays.stream(busy.utilisationPercent()).sum()).isEqualTo(7484);
    assertThat(Arrays.stream(vms.get(2).utilisationPercent()).max().orElseThrow()).isLessThan(10);
  }

  @Test
  void saysWhichFileIsShort() throws IOException {
    Path file = write("short", Collections.nCopies(287, "5"));
    assertThatThrownBy(() -> PlanetLabTraces.readVm(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("short")
        .hasMessageContaining("287 lines, expected 288");
  }

  @Test
  void saysWhichLineIsNotAPercentage() throws IOException {
    List<String> lines = IntStream.range(0, 288).mapToObj(i -> i == 41 ? "101" : "7").collect(Collectors.toList());
    assertThatThrownBy(() -> PlanetLabTraces.readVm(write("too-busy", lines)))
        .hasMessageContaining("too-busy line 42: '101' is not a CPU utilisation percentage");
    lines.set(41, "n/a");
    assertThatThrownBy(() -> PlanetLabTraces.readVm(write("unreadable", lines)))
        .hasMessageContaining("unreadable line 42: 'n/a'");
  }

  private Path write(String name, List<String> lines) throws IOException {
    return Files.write(dir.resolve(name), lines);
  }
}
