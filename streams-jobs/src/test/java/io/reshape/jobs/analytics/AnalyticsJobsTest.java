package io.reshape.jobs.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.schemas.KafkaConnection;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

class AnalyticsJobsTest {

  @Test
  void theJobsAndThePlannerFitInOneFlinkJobEveryOperatorWithAnIdOfItsOwnAndNoRecordLeftToKryo() {
    Configuration config = new Configuration();
    config.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    AnalyticsJobs.addTo(env, KafkaConnection.of("localhost:9092", "http://localhost:8081"), AnalyticsSettings.defaults());
    List<String> uids = env.getStreamGraph().getStreamNodes().stream().map(StreamNode::getTransformationUID).toList();
    assertThat(uids).doesNotContainNull().doesNotHaveDuplicates();
    assertThat(uids).allSatisfy(uid -> assertThat(uid).matches("(Sink Committer: )?(idleness|generations|footprints|sharing|planner)/[a-z-]+"));
  }
}
