package io.reshape.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest rendered for the base and each overlay is one its typed model reads, field for field. */
class ManifestModelsTest {

  static final List<String> TARGETS = Rendered.TARGETS;

  @ParameterizedTest
  @FieldSource("TARGETS")
  void everyRenderedManifestParsesStrictlyIntoItsModel(String target) throws Exception {
    assertThat(Rendered.manifests(target)).isNotEmpty();
    for (ObjectNode manifest : Rendered.manifests(target)) {
      Object model = StrictModels.parse(manifest);
      assertThat(model).as("%s %s", manifest.path("kind"), manifest.path("metadata").path("name")).isNotNull();
    }
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void theFlinkVersionIsTheBuildsOwn(String target) {
    String[] version = System.getProperty("flink.version").split("\\.");
    String expected = "v" + version[0] + "_" + version[1];
    assertThat(Rendered.ofKind(target, "FlinkDeployment")).isNotEmpty()
        .allSatisfy(f -> assertThat(f.path("spec").path("flinkVersion").asText()).isEqualTo(expected));
  }

  static Stream<Arguments> misspelt() {
    return Stream.of(
        Arguments.of("Deployment", "reshape-coordinator", "/spec/template/spec", "enableServiceLinks", "enableServiceLink"),
        Arguments.of("KafkaUser", "reshape-executor", "/spec/authorization", "acls", "acl"),
        Arguments.of("FlinkDeployment", "reshape-planner", "/spec/job", "upgradeMode", "upgradeMod"));
  }

  @ParameterizedTest(name = "{0} {3} misspelt {4}")
  @MethodSource("misspelt")
  void aMisspeltFieldIsRefused(String kind, String name, String at, String field, String misspelt) throws Exception {
    ObjectNode manifest = Rendered.named("base", kind, name).deepCopy();
    ObjectNode parent = (ObjectNode) manifest.at(at);
    assertThat(parent.has(field)).isTrue();
    parent.set(misspelt, parent.remove(field));

    assertThatThrownBy(() -> StrictModels.parse(manifest))
        .isInstanceOf(UnrecognizedPropertyException.class)
        .hasMessageContaining(misspelt);
  }

  @Test
  void theModelsReadWhatTheManifestsSay() throws Exception {
    KafkaUser executor = StrictModels.parse(Rendered.named("base", "KafkaUser", "reshape-executor"), KafkaUser.class);
    assertThat(executor.getSpec().getAuthentication().getType()).isEqualTo("scram-sha-512");
    FlinkDeployment planner =
        StrictModels.parse(Rendered.named("base", "FlinkDeployment", "reshape-planner"), FlinkDeployment.class);
    assertThat(planner.getSpec().getJob().getEntryClass()).isEqualTo("io.reshape.jobs.cluster.JobsMain");
  }
}
