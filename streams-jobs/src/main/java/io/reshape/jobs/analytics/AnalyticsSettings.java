package io.reshape.jobs.analytics;

import io.reshape.jobs.footprints.FootprintSettings;
import io.reshape.jobs.generations.GenerationSettings;
import io.reshape.jobs.idleness.IdlenessSettings;
import io.reshape.jobs.kafka.EventTime;
import io.reshape.jobs.planner.PlannerJobSettings;
import io.reshape.jobs.sharing.SharingSettings;
import io.reshape.planner.PlannerSettings;
import io.reshape.planner.sim.PlanetLabFleet;
import java.io.Serializable;
import java.time.Duration;

/** The settings of every analytics job and of the planner beside them. */
public record AnalyticsSettings(IdlenessSettings idleness, GenerationSettings generations, FootprintSettings footprints,
    SharingSettings sharing, PlannerJobSettings planner) implements Serializable {

  /**
   * The analytics and the planner for a simulated PlanetLab datacenter: a planning cycle a step,
   * and a footprint a step, at its start, so that each cycle sees the step before it. Its
   * inventory is scanned in full every step, a collected signal: it holds event time back until
   * the next scan, so that no scan can reach a cycle late, and the evaluation's steps may take
   * their time.
   */
  public static AnalyticsSettings forPlanetLab(PlannerSettings planner) {
    AnalyticsSettings defaults = defaults();
    return defaults.withFootprints(defaults.footprints().withEmissionInterval(PlanetLabFleet.STEP))
        .withPlanner(defaults.planner().withPlanner(PlanetLabFleet.plannerSettings(planner)))
        .withEventTime(EventTime.defaults().withTimeouts(EventTime.defaults().sourceIdleTimeout(), Duration.ofHours(1), true));
  }

  /** The same event time for every job. */
  public AnalyticsSettings withEventTime(EventTime eventTime) {
    return new AnalyticsSettings(idleness.withEventTime(eventTime), generations.withEventTime(eventTime),
        footprints.withEventTime(eventTime), sharing.withEventTime(eventTime), planner.withEventTime(eventTime));
  }

  public static AnalyticsSettings defaults() {
    return new AnalyticsSettings(IdlenessSettings.defaults(), GenerationSettings.defaults(), FootprintSettings.defaults(),
        SharingSettings.defaults(), PlannerJobSettings.defaults());
  }

  public AnalyticsSettings withIdleness(IdlenessSettings idleness) {
    return new AnalyticsSettings(idleness, generations, footprints, sharing, planner);
  }

  public AnalyticsSettings withGenerations(GenerationSettings generations) {
    return new AnalyticsSettings(idleness, generations, footprints, sharing, planner);
  }

  public AnalyticsSettings withFootprints(FootprintSettings footprints) {
    return new AnalyticsSettings(idleness, generations, footprints, sharing, planner);
  }

  public AnalyticsSettings withPlanner(PlannerJobSettings planner) {
    return new AnalyticsSettings(idleness, generations, footprints, sharing, planner);
  }
}
