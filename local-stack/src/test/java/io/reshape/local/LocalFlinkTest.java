package io.reshape.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.jobs.metrics.LabelledCounters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Flink's Prometheus reporter in the MiniCluster: on only when a port is given, and key-value groups become labels. */
@Timeout(120)
class LocalFlinkTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void withoutAPortNoReporterRuns() {
    Configuration config = LocalFlink.configuration(1, 1, Duration.ofSeconds(1), false, dir);
    assertThat(config.getOptional(LocalFlink.PROMETHEUS_FACTORY)).isEmpty();
  }

  @Test
  void withAPortTheJobsMetricsAreServedWithTheirGroupsAsLabels() throws Exception {
    int port = FreePorts.next();
    Configuration config = LocalFlink.configuration(1, 1, Duration.ofHours(1), false, dir);
    LocalFlink.reportToPrometheus(config, port);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, config);
    env.fromSequence(1, Long.MAX_VALUE).map(new CountByTopic()).sinkTo(new DiscardingSink<>());
    JobClient job = env.executeAsync("metrics");
    try {
      String metrics = "";
      Instant until = Instant.now().plus(WAIT);
      while (!metrics.contains("flink_taskmanager_job_task_operator_topic_eventsIn{") && Instant.now().isBefore(until)) {
        Thread.sleep(500);
        metrics = scrape(port);
      }
      assertThat(metrics).containsPattern("flink_taskmanager_job_task_operator_topic_eventsIn\\{topic=\"quanta\"[^}]*} [1-9]");
    } finally {
      job.cancel().get();
    }
  }

  private static String scrape(int port) throws InterruptedException {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (java.io.IOException notYetListening) {
      return "";
    }
  }

  /** Counts what it passes on, as the jobs' deserializer counts records in. */
  private static final class CountByTopic extends RichMapFunction<Long, Long> {

    private static final long serialVersionUID = 1L;
    private transient LabelledCounters eventsIn;

    @Override
    public void open(OpenContext context) {
      eventsIn = new LabelledCounters(getRuntimeContext().getMetricGroup(), "topic", "eventsIn");
    }

    @Override
    public Long map(Long value) throws InterruptedException {
      Thread.sleep(5);
      eventsIn.inc("quanta");
      return value;
    }
  }
}
