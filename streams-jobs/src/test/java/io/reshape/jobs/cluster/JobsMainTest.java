package io.reshape.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.jobs.analytics.AnalyticsJobs;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import io.reshape.schemas.access.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

class JobsMainTest {

  private static final Map<String, String> KAFKA = Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
      "SCHEMA_REGISTRY_URL", "http://registry:8081");

  @Test
  void readsItsPartAndCheckpointIntervalFromTheEnvironment() {
    JobsConfig defaults = JobsConfig.fromEnv(KAFKA);
    assertThat(defaults.part()).isEqualTo(AnalyticsJobs.Part.ALL);
    assertThat(defaults.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.jobName()).isEqualTo("reshape-analytics");
    assertThat(defaults.kafka().bootstrapServers()).isEqualTo("kafka:9092");

    JobsConfig planner = JobsConfig.fromEnv(with("RESHAPE_JOBS", " Planner ", "RESHAPE_CHECKPOINT_INTERVAL_S", "30"));
    assertThat(planner.part()).isEqualTo(AnalyticsJobs.Part.PLANNER);
    assertThat(planner.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(planner.jobName()).isEqualTo("reshape-analytics-planner");
  }

  @Test
  void aSettingThatCannotBeReadIsRefusedWithItsName() {
    assertThatThrownBy(() -> JobsConfig.fromEnv(with("RESHAPE_JOBS", "sharing")))
        .hasMessage("RESHAPE_JOBS: 'sharing' is none of all, analytics and planner");
    assertThatThrownBy(() -> JobsConfig.fromEnv(with("RESHAPE_CHECKPOINT_INTERVAL_S", "ten")))
        .hasMessageStartingWith("RESHAPE_CHECKPOINT_INTERVAL_S: 'ten'");
    assertThatThrownBy(() -> JobsConfig.fromEnv(with("RESHAPE_CHECKPOINT_INTERVAL_S", "0")))
        .hasMessageStartingWith("RESHAPE_CHECKPOINT_INTERVAL_S:");
  }

  @Test
  void eachPartReadsAndWritesOnlyWhatItsRoleIsGranted() {
    assertThat(topics(AnalyticsJobs.Part.PLANNER, "Source: ", "")).containsExactlyInAnyOrderElementsOf(names(Role.PLANNER.reads()));
    assertThat(topics(AnalyticsJobs.Part.PLANNER, "", "-sink: Writer")).containsExactlyInAnyOrderElementsOf(names(Role.PLANNER.writes()));
    assertThat(topics(AnalyticsJobs.Part.ANALYTICS, "Source: ", "")).containsExactlyInAnyOrderElementsOf(names(Role.ANALYTICS.reads()));
    assertThat(topics(AnalyticsJobs.Part.ANALYTICS, "", "-sink: Writer")).containsExactlyInAnyOrderElementsOf(names(Role.ANALYTICS.writes()));
    // Together, the planner takes the analytics' streams directly, not from their topics.
    assertThat(topics(AnalyticsJobs.Part.ALL, "Source: ", ""))
        .containsAll(names(Role.ANALYTICS.reads())).doesNotContain(Topics.FOOTPRINTS.name(), Topics.IDLENESS.name());
  }

  @Test
  void checkpointsExactlyOnceAtTheConfiguredInterval() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    JobsMain.addTo(env, JobsConfig.fromEnv(with("RESHAPE_CHECKPOINT_INTERVAL_S", "7")));
    StreamGraph graph = env.getStreamGraph();
    assertThat(graph.getCheckpointConfig().getCheckpointInterval()).isEqualTo(7000);
    assertThat(graph.getCheckpointConfig().getCheckpointingConsistencyMode()).isEqualTo(CheckpointingMode.EXACTLY_ONCE);
  }

  /** The topics of the operators named {@code prefix + topic + suffix} in the job of {@code part}. */
  private static Set<String> topics(AnalyticsJobs.Part part, String prefix, String suffix) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    JobsMain.addTo(env, JobsConfig.fromEnv(with("RESHAPE_JOBS", part.name())));
    Set<String> catalogue = Set.copyOf(names(Topics.ALL));
    return env.getStreamGraph().getStreamNodes().stream().map(StreamNode::getOperatorName)
        .filter(n -> n.startsWith(prefix) && n.endsWith(suffix))
        .map(n -> n.substring(prefix.length(), n.length() - suffix.length()))
        .filter(catalogue::contains)
        .collect(Collectors.toSet());
  }

  private static List<String> names(List<Topic<?>> topics) {
    return topics.stream().map(Topic::name).toList();
  }

  private static Map<String, String> with(String... settings) {
    Map<String, String> env = new java.util.HashMap<>(KAFKA);
    for (int i = 0; i < settings.length; i += 2) {
      env.put(settings[i], settings[i + 1]);
    }
    return env;
  }
}
