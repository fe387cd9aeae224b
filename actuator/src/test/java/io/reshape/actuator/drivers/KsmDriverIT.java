package io.reshape.actuator.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.actuator.executor.DriverResult;
import io.reshape.events.Action;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import io.reshape.host.HostRequirements;
import io.reshape.host.TestGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The KSM driver on this host's real KSM, with two real guests holding the same 16 MiB. */
@Timeout(120)
class KsmDriverIT {

  private static final Path KSM = KsmDriver.SYSFS;
  private static final String[] SETTINGS = {"pages_to_scan", "sleep_millisecs", "run"};

  @TempDir
  Path dir;

  private final Map<String, String> found = new LinkedHashMap<>();
  private final KsmDriver driver = new KsmDriver(KSM, 4000, Duration.ofMillis(10));

  @BeforeEach
  void keepTheHostsSettings() throws Exception {
    HostRequirements.require(Files.isWritable(KSM.resolve("run")), "needs KSM and root to change it (" + KSM + ")");
    for (String setting : SETTINGS) {
      found.put(setting, Files.readString(KSM.resolve(setting)).trim());
    }
    HostRequirements.require("0".equals(found.get("run")), "expects KSM off on this host, to turn it on and off itself");
  }

  @AfterEach
  void restoreThem() throws Exception {
    Files.writeString(KSM.resolve("run"), "2"); // unmerge what the test merged
    for (String setting : SETTINGS) {
      Files.writeString(KSM.resolve(setting), found.get(setting));
    }
  }

  private static HostCommand command(Action action) {
    Instant now = Instant.now();
    return HostCommand.newBuilder().setCommandId(action + "@host-1").setDecisionId(action.name()).setHostId("host-1")
        .setAction(action).setDecidedAt(now).setDeadline(now.plusSeconds(60)).build();
  }

  @Test
  void ksmMergesTheSamePagesOfTwoGuestsAndStopsKeepingThemMerged() throws Exception {
    try (TestGuest a = TestGuest.boot("ksm-a", 1, dir); TestGuest b = TestGuest.boot("ksm-b", 1, dir)) {
      a.command("fill 7");
      b.command("fill 7");

      DriverResult on = driver.apply(command(Action.ENABLE_KSM), (done, detail) -> { });
      System.out.println("KSM " + on.detail());
      assertThat(on.outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(on.detail()).startsWith("KSM on (it was off), scanning 4000 pages every 10 ms: pages_sharing 0 -> ")
          .endsWith(" after the scans that merge a page");
      long sharing = Long.parseLong(on.detail().replaceAll(".*pages_sharing 0 -> (\\d+) .*", "$1"));
      assertThat(sharing).as("the 4096 pages each guest filled alike, shared").isGreaterThanOrEqualTo(4096);
      assertThat(driver.reconcile(command(Action.ENABLE_KSM)).outcome()).isEqualTo(Outcome.APPLIED);

      DriverResult off = driver.apply(command(Action.DISABLE_KSM), (done, detail) -> { });
      System.out.println("KSM " + off.detail());
      assertThat(off.outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(counter("run")).isZero();
      assertThat(counter("pages_sharing")).as("kept merged").isGreaterThanOrEqualTo(4096);
      assertThat(driver.reconcile(command(Action.ENABLE_KSM)).outcome()).isEqualTo(Outcome.FAILED);
    }
  }

  private static long counter(String name) throws Exception {
    return Long.parseLong(Files.readString(KSM.resolve(name)).trim());
  }
}
