package io.reshape.actuator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import io.reshape.schemas.Topics;
import io.reshape.schemas.registry.SchemaRegistryException;
import io.reshape.schemas.serde.DeadLetters;
import io.reshape.schemas.serde.RecordDecodingException;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a record that cannot be decoded into a dead letter on the dead-letter topic, written in
 * the same transaction as the rest of the task's output, counts it in {@code reshape.dead.letters}
 * by source topic and cause, and goes on. A registry that cannot be reached fails the application
 * instead: the record is fine, and a restart will read it.
 */
public class DeadLetterHandler implements DeserializationExceptionHandler {

  /** The configuration entry that holds the {@link MeterRegistry} the dead letters are counted in. */
  public static final String METERS_CONFIG = "reshape.dead.letter.meters";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

  private final RegistryAvroSerializer<DeadLetter> serializer = new RegistryAvroSerializer<>();
  private String stage;
  private MeterRegistry meters;

  @Override
  public void configure(Map<String, ?> configs) {
    serializer.configure(configs, false);
    stage = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
    if (!(configs.get(METERS_CONFIG) instanceof MeterRegistry registry)) {
      throw new ConfigException(METERS_CONFIG, configs.get(METERS_CONFIG), "must be the MeterRegistry the dead letters are counted in");
    }
    meters = registry;
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception error) {
    if (error instanceof SchemaRegistryException) {
      return Response.fail();
    }
    DeadLetterCause cause = error instanceof RecordDecodingException decoding
        ? decoding.kind()
        : DeadLetterCause.UNDECODABLE_AVRO;
    DeadLetter letter = DeadLetters.of(record.topic(), record.partition(), record.offset(), record.timestamp(),
        record.key(), record.value(), stage + "/" + context.processorNodeId(), cause, String.valueOf(error.getMessage()));
    LOG.warn("Dead letter from {}/{}@{}: {}", record.topic(), record.partition(), record.offset(), letter.getReason());
    Counter.builder("reshape.dead.letters").description("Records a Kafka Streams application could not decode, sent to the dead-letter topic.")
        .tag("topic", record.topic()).tag("cause", cause.name()).register(meters).increment();
    String key = DeadLetters.key(letter);
    return Response.resume(List.of(new ProducerRecord<>(Topics.DEAD_LETTERS.name(),
        key.getBytes(StandardCharsets.UTF_8), serializer.serialize(Topics.DEAD_LETTERS.name(), letter))));
  }
}
