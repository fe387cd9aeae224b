package io.reshape.jobs.kafka;

import io.reshape.jobs.metrics.LabelledCounters;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Passes Kafka records on as {@link RawRecord}s; it cannot fail. It counts them as they come in,
 * {@code eventsIn} by {@code topic}, before any is decoded or refused.
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {

  private static final long serialVersionUID = 1L;

  private transient LabelledCounters eventsIn;

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    eventsIn = new LabelledCounters(context.getMetricGroup(), "topic", "eventsIn");
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
    eventsIn.inc(record.topic());
    out.collect(new RawRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
        record.key(), record.value()));
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return TypeInformation.of(RawRecord.class);
  }
}
