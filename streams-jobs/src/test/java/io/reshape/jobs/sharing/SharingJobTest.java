package io.reshape.jobs.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.schemas.KafkaConnection;
import java.util.Collection;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

class SharingJobTest {

  @Test
  void everyOperatorHasAStableIdAndOnlyTheFleetWideOnesRunAlone() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(4);
    SharingJob.onKafka(KafkaConnection.of("localhost:9092", "http://localhost:8081"), SharingSettings.defaults()).addTo(env);
    Collection<StreamNode> nodes = env.getStreamGraph().getStreamNodes();

    assertThat(nodes).allSatisfy(node -> assertThat(node.getTransformationUID()).as(node.getOperatorName()).isNotBlank());
    assertThat(nodes).filteredOn(node -> node.getParallelism() == 1)
        .extracting(StreamNode::getOperatorName)
        .containsExactlyInAnyOrder("compare-pairs", "host-sharing");
  }
}
