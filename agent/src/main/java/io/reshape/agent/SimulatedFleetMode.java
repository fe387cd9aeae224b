package io.reshape.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.reshape.collectors.CollectorAgent;
import io.reshape.collectors.CollectorConfig;
import io.reshape.collectors.FleetRunner;
import io.reshape.collectors.sim.FleetSpec;
import io.reshape.collectors.sim.SimulatedFleet;
import io.reshape.collectors.spool.SpoolingPublisher;
import io.reshape.observability.RunningService;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A host agent that stands for a whole simulated fleet, for a stack without KVM hosts (the compose
 * stack's default): {@code RESHAPE_SIMULATED_FLEET=HOSTSxVMS} (e.g. {@code 4x8}) publishes the
 * fleet's samples through the collector's spool, and the executor takes every host's commands in
 * dry run. {@code RESHAPE_SIMULATED_SPEED} runs simulated time faster than the wall clock.
 *
 * @param spec the fleet: the default workload mix, a day of 10 minutes, seed 42, no lab VMs and no moves
 * @param interval the simulated time between two samples of a VM
 * @param speed simulated seconds per wall second
 */
public record SimulatedFleetMode(FleetSpec spec, Duration interval, double speed) {

  static final String FLEET = "RESHAPE_SIMULATED_FLEET";
  static final String SPEED = "RESHAPE_SIMULATED_SPEED";

  /** The mode the environment asks for; none when {@code RESHAPE_SIMULATED_FLEET} is unset. */
  public static Optional<SimulatedFleetMode> fromEnv(Map<String, String> env) {
    String fleet = env.get(FLEET);
    if (fleet == null || fleet.isBlank()) {
      return Optional.empty();
    }
    String[] size = fleet.trim().toLowerCase(Locale.ROOT).split("x");
    int hosts;
    int vmsPerHost;
    try {
      if (size.length != 2) {
        throw new NumberFormatException();
      }
      hosts = Integer.parseInt(size[0]);
      vmsPerHost = Integer.parseInt(size[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(FLEET + ": '" + fleet + "' is not HOSTSxVMS, e.g. 4x8");
    }
    double speed;
    try {
      speed = Double.parseDouble(env.getOrDefault(SPEED, "1"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(SPEED + ": '" + env.get(SPEED) + "' is not a number");
    }
    if (!(speed > 0)) {
      throw new IllegalArgumentException(SPEED + " must be positive, not " + env.get(SPEED));
    }
    FleetSpec spec = new FleetSpec(hosts, vmsPerHost, FleetSpec.DEFAULT_MIX, Duration.ofMinutes(10), 42, 0, Duration.ZERO);
    return Optional.of(new SimulatedFleetMode(spec, Duration.ofSeconds(1), speed));
  }

  /**
   * Starts publishing the fleet's samples, from now on, through the collector's spool (its meters
   * in {@code meters}); what this returns stops the fleet's clock, then closes the spool. It is
   * unhealthy when the samples can no longer get to Kafka.
   */
  public RunningService startCollecting(CollectorConfig config, MeterRegistry meters) {
    SimulatedFleet fleet = new SimulatedFleet(spec);
    SpoolingPublisher publisher = CollectorAgent.publisher(config, meters);
    FleetRunner runner = new FleetRunner(fleet, publisher, interval, Instant.now(), speed);
    runner.start();
    return new RunningService() {
      @Override
      public Optional<String> unhealthy() {
        return publisher.unhealthy().map(why -> "simulated fleet: " + why);
      }

      @Override
      public void close() throws Exception {
        try (fleet; publisher; runner) {
          // Closed in reverse: the clock, the spool, the fleet.
        }
      }
    };
  }
}
