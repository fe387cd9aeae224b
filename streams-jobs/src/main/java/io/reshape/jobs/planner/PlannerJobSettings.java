package io.reshape.jobs.planner;

import io.reshape.jobs.kafka.EventTime;
import io.reshape.planner.PlannerSettings;
import java.io.Serializable;

/**
 * The planner job's settings: the planner's own, and how it reads its inputs.
 *
 * @param eventTime how its inputs give event time
 */
public record PlannerJobSettings(PlannerSettings planner, EventTime eventTime) implements Serializable {

  public static PlannerJobSettings defaults() {
    return new PlannerJobSettings(PlannerSettings.defaults(), EventTime.defaults());
  }

  public PlannerJobSettings withPlanner(PlannerSettings planner) {
    return new PlannerJobSettings(planner, eventTime);
  }

  public PlannerJobSettings withEventTime(EventTime eventTime) {
    return new PlannerJobSettings(planner, eventTime);
  }
}
