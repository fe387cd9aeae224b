package io.reshape.jobs.metrics;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A Kafka sink's serializer that measures each value it writes: where a job's values leave it,
 * whichever operator made them.
 *
 * @param <V> the value type
 */
public final class MeteredSerializer<V> implements KafkaRecordSerializationSchema<V> {

  private static final long serialVersionUID = 1L;

  private final KafkaRecordSerializationSchema<V> serializer;
  private final SinkMeters<V> meters;

  public MeteredSerializer(KafkaRecordSerializationSchema<V> serializer, SinkMeters<V> meters) {
    this.serializer = serializer;
    this.meters = meters;
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
    serializer.open(context, sinkContext);
    meters.open(context.getMetricGroup());
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(V value, KafkaSinkContext context, Long timestamp) {
    meters.written(value, System.currentTimeMillis());
    return serializer.serialize(value, context, timestamp);
  }
}
