package io.reshape.jobs.analytics;

import io.reshape.jobs.footprints.FootprintSettings;
import io.reshape.jobs.generations.GenerationSettings;
import io.reshape.jobs.idleness.IdlenessSettings;
import io.reshape.jobs.sharing.SharingSettings;
import java.io.Serializable;

/** The settings of every analytics job. */
public record AnalyticsSettings(IdlenessSettings idleness, GenerationSettings generations, FootprintSettings footprints,
    SharingSettings sharing) implements Serializable {

  public static AnalyticsSettings defaults() {
    return new AnalyticsSettings(IdlenessSettings.defaults(), GenerationSettings.defaults(), FootprintSettings.defaults(),
        SharingSettings.defaults());
  }

  public AnalyticsSettings withIdleness(IdlenessSettings idleness) {
    return new AnalyticsSettings(idleness, generations, footprints, sharing);
  }

  public AnalyticsSettings withGenerations(GenerationSettings generations) {
    return new AnalyticsSettings(idleness, generations, footprints, sharing);
  }
}
