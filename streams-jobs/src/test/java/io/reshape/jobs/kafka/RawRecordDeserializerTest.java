package io.reshape.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Records are counted by topic as they come in, the ones no decoder will take among them. */
class RawRecordDeserializerTest {

  @Test
  void everyRecordReadIsCountedUnderItsTopic() throws Exception {
    MetricListener metrics = new MetricListener();
    RawRecordDeserializer deserializer = new RawRecordDeserializer();
    deserializer.open(new DeserializationSchema.InitializationContext() {
      @Override
      public MetricGroup getMetricGroup() {
        return metrics.getMetricGroup();
      }

      @Override
      public UserCodeClassLoader getUserCodeClassLoader() {
        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
      }
    });
    List<RawRecord> out = new ArrayList<>();
    Collector<RawRecord> collector = new Collector<>() {
      @Override
      public void collect(RawRecord record) {
        out.add(record);
      }

      @Override
      public void close() {}
    };
    deserializer.deserialize(new ConsumerRecord<>("quanta", 0, 1, null, "not avro".getBytes()), collector);
    deserializer.deserialize(new ConsumerRecord<>("quanta", 1, 7, "vm-1".getBytes(), new byte[] {0}), collector);
    deserializer.deserialize(new ConsumerRecord<>("inventory", 0, 3, "vm:vm-1".getBytes(), null), collector);

    assertThat(out).hasSize(3);
    assertThat(metrics.getCounter("topic", "quanta", "eventsIn").orElseThrow().getCount()).isEqualTo(2);
    assertThat(metrics.getCounter("topic", "inventory", "eventsIn").orElseThrow().getCount()).isEqualTo(1);
  }
}
