package io.reshape.actuator.executor;

import io.reshape.events.Actuation;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.RecordKeys;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.RegistryAvroSerde;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The worker's reports on {@code actuations}, through an idempotent producer that waits for every
 * replica: a report is durable once the stage {@link #publish} returns completes. Each record carries the decision's
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
  public CompletionStage<?> publish(Actuation actuation) {
    CompletableFuture<Void> durable = new CompletableFuture<>();
    try {
      producer.send(new ProducerRecord<>(Topics.ACTUATIONS.name(), null, actuation.getDecidedAt().toEpochMilli(),
          RecordKeys.of(actuation), actuation), (metadata, failure) -> {
            if (failure == null) {
              durable.complete(null);
            } else {
              durable.completeExceptionally(failure);
            }
          });
    } catch (RuntimeException e) {
      durable.completeExceptionally(e);
    }
    return durable;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
