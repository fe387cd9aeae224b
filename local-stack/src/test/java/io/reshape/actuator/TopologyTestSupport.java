package io.reshape.actuator;

import io.reshape.local.SharedRegistry;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
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

/** Typed test topics of a {@link TopologyTestDriver}, with the registry serdes the applications use. */
final class TopologyTestSupport {

  private final TopologyTestDriver driver;
  private final Map<String, String> registry;

  TopologyTestSupport(TopologyTestDriver driver, Map<String, String> registry) {
    this.driver = driver;
    this.registry = registry;
  }

  /** The applications' own Streams configuration, pointed at the shared registry. */
  static Properties config(String applicationId, Path stateDir) throws Exception {
    String url = SharedRegistry.config().values().iterator().next();
    return StreamsSettings.exactlyOnce(KafkaConnection.of("unused:9092", url), applicationId, stateDir);
  }

  <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic) {
    return driver.createInputTopic(topic.name(), new StringSerializer(), RegistryAvroSerde.forValues(topic, registry).serializer());
  }

  TestInputTopic<String, byte[]> rawInput(Topic<?> topic) {
    return driver.createInputTopic(topic.name(), new StringSerializer(), new ByteArraySerializer());
  }

  <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic) {
    return driver.createOutputTopic(topic.name(), new StringDeserializer(), RegistryAvroSerde.forValues(topic, registry).deserializer());
  }
}
