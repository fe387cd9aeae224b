package io.reshape.actuator.executor;

import io.reshape.events.Actuation;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.RecordKeys;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.RegistryAvroSerde;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The worker's reports on {@code actuations}, through an idempotent producer that waits for every
 * replica: a report is durable once {@link #publish} returns. Each record carries the decision's
 * event time as its timestamp, as the outcomes the Streams side writes do, so that readers in event
 * time (the planner) see outcomes where their decisions are.
 */
public final class KafkaActuationReports implements CommandWorker.Reports, AutoCloseable {

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProducer<String, Actuation> producer;

  public KafkaActuationReports(KafkaConnection kafka) {
    Properties config = kafka.clientConfig();
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(SEND_TIMEOUT.toMillis()));
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(SEND_TIMEOUT.toMillis() / 2));
    producer = new KafkaProducer<>(config, new StringSerializer(),
        RegistryAvroSerde.forValues(Topics.ACTUATIONS, kafka.registryProperties()).serializer());
  }

  @Override
  public void publish(Actuation actuation) throws Exception {
    producer.send(new ProducerRecord<>(Topics.ACTUATIONS.name(), null, actuation.getDecidedAt().toEpochMilli(),
        RecordKeys.of(actuation), actuation)).get(SEND_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
