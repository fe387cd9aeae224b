package io.reshape.actuator;

import io.micrometer.core.instrument.MeterRegistry;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
import io.reshape.schemas.registry.InMemorySchemaRegistry;
import io.reshape.schemas.registry.RegistryConfig;
import io.reshape.schemas.registry.SchemaRegistryClient;
import io.reshape.schemas.serde.RegistryAvroSerde;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Typed test topics of a {@link TopologyTestDriver}, with the registry serdes the applications
 * use, on an in-memory registry (the serdes against a real one are tested in local-stack).
 */
final class TopologyTestSupport {

  private static final String SCOPE = "actuator-topologies";
  /** The registry settings of the applications under test. */
  static final Map<String, String> REGISTRY = Map.of(RegistryConfig.URL, SchemaRegistryClient.IN_MEMORY_SCHEME + "://" + SCOPE);

  private final TopologyTestDriver driver;

  TopologyTestSupport(TopologyTestDriver driver) {
    this.driver = driver;
  }

  /** The applications' own Streams configuration, on the in-memory registry, its dead letters counted in {@code meters}. */
  static Properties config(String applicationId, Path stateDir, MeterRegistry meters) {
    return StreamsSettings.exactlyOnce(KafkaConnection.of("unused:9092", REGISTRY.get(RegistryConfig.URL)), applicationId, stateDir,
        meters);
  }

  /** The in-memory registry the applications use. */
  static SchemaRegistryClient registry() {
    return SchemaRegistryClient.shared(RegistryConfig.from(REGISTRY));
  }

  /** Empties the in-memory registry, so a test starts from none of another's schemas. */
  static void forgetSchemas() {
    InMemorySchemaRegistry.drop(SCOPE);
  }

  <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic) {
    return driver.createInputTopic(topic.name(), new StringSerializer(), RegistryAvroSerde.forValues(topic, REGISTRY).serializer());
  }

  TestInputTopic<String, byte[]> rawInput(Topic<?> topic) {
    return driver.createInputTopic(topic.name(), new StringSerializer(), new ByteArraySerializer());
  }

  <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic) {
    return driver.createOutputTopic(topic.name(), new StringDeserializer(), RegistryAvroSerde.forValues(topic, REGISTRY).deserializer());
  }
}
