package io.reshape.jobs.planner;

import io.reshape.planner.PlannerSettings;
import java.io.Serializable;
import java.time.Duration;

/**
 * The planner job's settings: the planner's own, and how it reads its inputs.
 *
 * @param outOfOrderness how late an input may arrive behind the newest one and still count
 * @param sourceIdleTimeout a partition silent this long no longer holds back event time
 */
public record PlannerJobSettings(PlannerSettings planner, Duration outOfOrderness, Duration sourceIdleTimeout)
    implements Serializable {

  public static PlannerJobSettings defaults() {
    return new PlannerJobSettings(PlannerSettings.defaults(), Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  public PlannerJobSettings withPlanner(PlannerSettings planner) {
    return new PlannerJobSettings(planner, outOfOrderness, sourceIdleTimeout);
  }
}
