package io.reshape.collectors.host;

import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.host.QmpClient;
import io.reshape.host.TestGuest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;


/**
 * Dirty rates of a real guest that writes a known set of pages once, inside a window QEMU is shown
 * to have measured: the count is then exact, however fast the host runs the guest.
 */
@Timeout(120)
class DirtyRateSourceIT {

  private static final long MEMORY = 64L << 20;
  /** QEMU reads KVM's dirty log a second after clearing it by its clock of whole milliseconds: 999 ms at least. */
  private static final long WINDOW_NS = TimeUnit.MILLISECONDS.toNanos(999);
  /** How long after a window starts the guest is told to write: well inside it, unless the host is slow. */
  private static final long LEAD_MS = 400;
  private static final long POLL_MS = 20;
  private static final int TRIES = 10;

  @TempDir
  Path dir;

  /** One call of the source: when it began and returned, the time it was given, and its answer. */
  private record Call(long began, long returned, Instant now, Optional<DirtyPages> answer) {

    static Call of(DirtyRateSource source, TestGuest guest, QmpClient qmp) {
      long began = System.nanoTime();
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      Optional<DirtyPages> answer = source.sample(guest.vm(), qmp, MEMORY, now);
      return new Call(began, System.nanoTime(), now, answer);
    }
  }

  /**
   * A window that held the guest's writes.
   *
   * @param started the time the source was given when it started the window
   * @param askedInside what the source answered when asked again inside the window
   * @param measured what it answered once QEMU had measured the window
   */
  private record Held(Instant started, Optional<DirtyPages> askedInside, DirtyPages measured) {}

  /**
   * Starts a window, has the guest write one word into each of {@code pages} pages, and returns the
   * window if it surely held every write; else tries the next window. QEMU clears the log after the
   * call that starts the window began, and reads it {@link #WINDOW_NS} or more later but before the
   * call that finds the window measured returns. So the window held the writes if the guest was told
   * to write no earlier than {@link #WINDOW_NS} before that return, and the source, asked again
   * once the guest had answered, answered no later than {@link #WINDOW_NS} after the start (which
   * also makes that question one asked inside the window).
   */
  private static Held windowHolding(int pages, DirtyRateSource source, TestGuest guest, QmpClient qmp) throws Exception {
    Call start = Call.of(source, guest, qmp);
    List<String> missed = new ArrayList<>();
    for (int attempt = 0; attempt < TRIES; attempt++) {
      Thread.sleep(Math.max(0, LEAD_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start.began())));
      long told = System.nanoTime();
      assertThat(guest.command("write " + pages)).isEqualTo("OK write " + pages);
      Call inside = Call.of(source, guest, qmp);
      Call end = inside.answer().isPresent() ? inside : awaitMeasured(source, guest, qmp);
      if (inside.returned() - start.began() <= WINDOW_NS && end.returned() - told <= WINDOW_NS) {
        return new Held(start.now(), inside.answer(), end.answer().orElseThrow());
      }
      missed.add(String.format("guest told %d ms and source asked again %d ms after the start, window measured %d ms after the guest was told",
          TimeUnit.NANOSECONDS.toMillis(told - start.began()), TimeUnit.NANOSECONDS.toMillis(inside.returned() - start.began()),
          TimeUnit.NANOSECONDS.toMillis(end.returned() - told)));
      start = end; // the call that found the window measured started the next one
    }
    throw new AssertionError("No window of " + TRIES + " surely held the writes: " + missed);
  }

  /** Asks the source until QEMU has measured the window under way; that call starts the next. */
  private static Call awaitMeasured(DirtyRateSource source, TestGuest guest, QmpClient qmp) throws InterruptedException {
    Call call;
    do {
      Thread.sleep(POLL_MS);
      call = Call.of(source, guest, qmp);
    } while (call.answer().isEmpty());
    return call;
  }

  @Test
  void aMeasurementStillUnderWayIsLeftToFinish() throws Exception {
    try (TestGuest guest = TestGuest.boot("rate-early-it", 1, dir);
         QmpClient qmp = QmpClient.connect(guest.vm().qmpSocket(), Duration.ofSeconds(5))) {
      Held held = windowHolding(1024, new DirtyRateSource("host-it"), guest, qmp);
      assertThat(held.askedInside()).as("asked again inside the window").isEmpty();
      assertThat(held.measured().getIntervalStart()).as("the window the first call started").isEqualTo(held.started());
      assertThat(held.measured().getDirtyCount()).as("4 MiB written").isEqualTo(1024);
    }
  }

  @Test
  void theRateCountsThePagesTheGuestWroteAndIsNoBitmap() throws Exception {
    try (TestGuest guest = TestGuest.boot("rate-it", 1, dir);
         QmpClient qmp = QmpClient.connect(guest.vm().qmpSocket(), Duration.ofSeconds(5))) {
      DirtyRateSource source = new DirtyRateSource("host-it");

      DirtyPages busy = windowHolding(2048, source, guest, qmp).measured();
      assertThat(busy.getSource()).isEqualTo(DirtyPageSource.DIRTY_RATE);
      assertThat(busy.getBitmap()).as("a rate is never published as a bitmap").isNull();
      // The 2048 pages written (8 MiB) and the few the guest's own stack and variables take: QEMU
      // reports whole MiB, and the guest's own are far fewer than the 256 pages of one.
      assertThat(busy.getDirtyCount()).isEqualTo(2048);
      assertThat(busy.getPageCount()).isEqualTo(16384);
      assertThat(Duration.between(busy.getIntervalStart(), busy.getIntervalEnd())).isEqualTo(Duration.ofSeconds(1));

      // The call that found that window measured started the next one, after the writes.
      DirtyPages idle = awaitMeasured(source, guest, qmp).answer().orElseThrow();
      assertThat(idle.getDirtyCount()).isZero();
      assertThat(idle.getCollectorEpoch()).isEqualTo(busy.getCollectorEpoch() + 1);
    }
  }
}
