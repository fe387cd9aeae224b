package io.reshape.jobs.analytics;

import io.reshape.jobs.footprints.FootprintsJob;
import io.reshape.jobs.generations.GenerationsJob;
import io.reshape.jobs.idleness.IdlenessJob;
import io.reshape.jobs.sharing.SharingJob;
import io.reshape.schemas.KafkaConnection;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Every analytics job in one Flink job: one set of task slots, one checkpoint for all. Each job
 * keeps its own operator ids (prefixed with its name), so they can also run apart.
 */
public final class AnalyticsJobs {

  public static final String NAME = "reshape-analytics";

  private AnalyticsJobs() {}

  public static void addTo(StreamExecutionEnvironment env, KafkaConnection connection, AnalyticsSettings settings) {
    IdlenessJob.onKafka(connection, settings.idleness()).addTo(env);
    GenerationsJob.onKafka(connection, settings.generations()).addTo(env);
    FootprintsJob.onKafka(connection, settings.footprints()).addTo(env);
    SharingJob.onKafka(connection, settings.sharing()).addTo(env);
  }
}
