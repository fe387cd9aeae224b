package io.reshape.jobs.analytics;

import io.reshape.events.IdlenessPrediction;
import io.reshape.jobs.footprints.FootprintsJob;
import io.reshape.jobs.generations.GenerationsJob;
import io.reshape.jobs.idleness.IdlenessJob;
import io.reshape.jobs.planner.PlannerJob;
import io.reshape.jobs.sharing.SharingJob;
import io.reshape.schemas.KafkaConnection;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Every analytics job and the planner in one Flink job: one set of task slots, one checkpoint for
 * all. The planner takes the analytics' streams directly, and the footprints the page-generations
 * job's written sets, not back from their topics: nothing waits for a checkpoint, and nothing
 * arrives behind event time. Each job keeps its own operator ids (prefixed with its name),
 * so they can also run apart.
 */
public final class AnalyticsJobs {

  public static final String NAME = "reshape-analytics";

  private AnalyticsJobs() {}

  /** What one Flink job runs: everything, or the analytics and the planner apart (each with a Kafka user of its own). */
  public enum Part { ALL, ANALYTICS, PLANNER }

  public static void addTo(StreamExecutionEnvironment env, KafkaConnection connection, AnalyticsSettings settings) {
    addTo(env, connection, settings, Part.ALL);
  }

  /** Adds {@code part} to {@code env}; apart, the planner reads what the analytics wrote to their topics. */
  public static void addTo(StreamExecutionEnvironment env, KafkaConnection connection, AnalyticsSettings settings, Part part) {
    if (part == Part.PLANNER) {
      PlannerJob.onKafka(connection, settings.planner())
          .addTo(env, PlannerJob.analyticsOnKafka(env, connection, settings.planner()));
      return;
    }
    DataStream<IdlenessPrediction> idleness = IdlenessJob.onKafka(connection, settings.idleness()).addTo(env);
    GenerationsJob.Outputs generations = GenerationsJob.onKafka(connection, settings.generations()).addTo(env);
    FootprintsJob.Outputs footprints = FootprintsJob.onKafka(connection, settings.footprints()).addTo(env, generations.writtenSets());
    SharingJob.Outputs sharing = SharingJob.onKafka(connection, settings.sharing()).addTo(env);
    if (part == Part.ALL) {
      PlannerJob.onKafka(connection, settings.planner()).addTo(env, new PlannerJob.Analytics(footprints.footprints(),
          footprints.affinities(), idleness, generations.answers(), generations.writtenSets(), sharing.pairs(), sharing.hosts()));
    }
  }
}
