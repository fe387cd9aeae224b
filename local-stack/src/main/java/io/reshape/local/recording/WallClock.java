package io.reshape.local.recording;

import java.time.Duration;
import java.time.Instant;

/** The time a replay is paced by, and how it waits; tests use one they move themselves. */
public interface WallClock {

  WallClock SYSTEM = new WallClock() {
    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    }
  };

  Instant now();

  void sleep(Duration duration) throws InterruptedException;
}
