package io.reshape.collectors.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Dirty rates of a real guest writing a known number of pages a second. */
@Timeout(120)
class DirtyRateSourceIT {

  @TempDir
  Path dir;

  private static DirtyPages measure(DirtyRateSource source, TestGuest guest, QmpClient qmp) throws Exception {
    assertThat(source.sample(guest.vm(), qmp, 64L << 20, Instant.now())).isEmpty();
    Thread.sleep(1500);
    Optional<DirtyPages> measured = source.sample(guest.vm(), qmp, 64L << 20, Instant.now());
    assertThat(measured).isPresent();
    return measured.get();
  }

  @Test
  void aMeasurementStillUnderWayIsLeftToFinish() throws Exception {
    try (TestGuest guest = TestGuest.boot("rate-early-it", 1, dir);
         QmpClient qmp = QmpClient.connect(guest.vm().qmpSocket(), Duration.ofSeconds(5))) {
      DirtyRateSource source = new DirtyRateSource("host-it");
      guest.command("dirty 1024");
      assertThat(source.sample(guest.vm(), qmp, 64L << 20, Instant.now())).isEmpty();
      assertThat(source.sample(guest.vm(), qmp, 64L << 20, Instant.now())).as("asked again within the window").isEmpty();
      Thread.sleep(1500);
      assertThat(source.sample(guest.vm(), qmp, 64L << 20, Instant.now())).hasValueSatisfying(d ->
          assertThat(d.getDirtyCount()).as("4 MiB/s, in whole MiB").isBetween(768, 1024));
    }
  }

  @Test
  void theRateMatchesThePagesTheGuestWritesAndIsNoBitmap() throws Exception {
    try (TestGuest guest = TestGuest.boot("rate-it", 1, dir);
         QmpClient qmp = QmpClient.connect(guest.vm().qmpSocket(), Duration.ofSeconds(5))) {
      DirtyRateSource source = new DirtyRateSource("host-it");

      guest.command("dirty 2048");
      DirtyPages busy = measure(source, guest, qmp);
      assertThat(busy.getSource()).isEqualTo(DirtyPageSource.DIRTY_RATE);
      assertThat(busy.getBitmap()).as("a rate is never published as a bitmap").isNull();
      // 2048 pages a second is 8 MiB/s; QEMU reports whole MiB/s, so 7 or 8 MiB/s.
      assertThat(busy.getDirtyCount()).isBetween(1792, 2048);
      assertThat(busy.getPageCount()).isEqualTo(16384);
      assertThat(Duration.between(busy.getIntervalStart(), busy.getIntervalEnd())).isEqualTo(Duration.ofSeconds(1));

      guest.command("idle");
      Thread.sleep(1500);
      // That window opened before the guest went idle; the next one is all idle.
      source.sample(guest.vm(), qmp, 64L << 20, Instant.now()).orElseThrow();
      Thread.sleep(1500);
      DirtyPages idle = source.sample(guest.vm(), qmp, 64L << 20, Instant.now()).orElseThrow();
      assertThat(idle.getDirtyCount()).isZero();
      assertThat(idle.getCollectorEpoch()).isEqualTo(busy.getCollectorEpoch() + 2);
    }
  }
}
