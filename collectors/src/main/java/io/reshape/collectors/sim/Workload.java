package io.reshape.collectors.sim;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The kinds of VM a simulated fleet holds, with magnitudes taken from common server behaviour: an
 * idle guest runs about 1% of a vCPU (timer ticks) and writes a few pages a second; a busy one
 * keeps its vCPUs half to fully busy, writes megabytes a second and talks to its peers.
 */
public enum Workload {
  /** Does nothing but keep its timers ticking. */
  IDLE {
    @Override
    WorkloadModel model(SplittableRandom random, Duration day) {
      return (start, seconds) -> QUIET;
    }
  },
  /** A service under constant load. */
  STEADY {
    @Override
    WorkloadModel model(SplittableRandom random, Duration day) {
      return (start, seconds) -> BUSY;
    }
  },
  /** Mostly idle, with bursts of work (batch jobs, cron, a user session). */
  BURSTY {
    @Override
    WorkloadModel model(SplittableRandom random, Duration day) {
      return new OnOffModel(random, 30, 120, new Activity(0.9, 0.01, 4e6), QUIET);
    }
  },
  /** Follows the day: busy in the day, quiet at night. */
  DIURNAL {
    @Override
    WorkloadModel model(SplittableRandom random, Duration day) {
      return new DiurnalModel(day, random.nextDouble(), new Activity(0.8, 0.008, 3e6), new Activity(0.05, 0.0002, 2e4));
    }
  };

  private static final Activity QUIET = new Activity(0.01, 0.00001, 200);
  private static final Activity BUSY = new Activity(0.55, 0.004, 2e6);

  abstract WorkloadModel model(SplittableRandom random, Duration day);
}
