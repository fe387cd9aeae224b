package io.reshape.jobs.footprints;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.schemas.KafkaConnection;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

class FootprintsJobTest {

  @Test
  void everyOperatorHasAStableUidAndNothingFallsBackToKryo() {
    Configuration config = new Configuration();
    config.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    // Nothing connects before the job runs.
    FootprintsJob.onKafka(KafkaConnection.of("localhost:9", "http://localhost:1"), FootprintSettings.defaults()).addTo(env);

    StreamGraph graph = env.getStreamGraph();
    assertThat(graph.getStreamNodes()).extracting(StreamNode::getTransformationUID)
        .doesNotContainNull().doesNotHaveDuplicates()
        .contains("footprints/traffic-source", "footprints/decode-traffic", "footprints/resolve-endpoints", "footprints/cpu-signals",
            "footprints/write-signals", "footprints/decode-inventory", "footprints/track-footprints", "footprints/footprints-sink",
            "footprints/affinities-sink", "footprints/dead-letters-sink");
  }

  @Test
  void stateAndSignalsAreFlinkPojos() {
    for (Class<?> type : List.of(FootprintState.class, VmSignal.class, VmAddresses.class)) {
      TypeInformation<?> info = TypeInformation.of(type);
      assertThat(info).isInstanceOf(PojoTypeInfo.class);
      assertThat(info.toString()).doesNotContain("GenericType");
    }
  }
}
