package io.reshape.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.Map;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * The typed models of every kind {@code k8s/} may hold, read strictly: a field a model does not
 * know is an error, even where the model would keep unknown fields aside (fabric8's and Strimzi's
 * {@code additionalProperties}), so that a misspelt field never passes as an extra one.
 */
final class StrictModels {

  /** The models by {@code apiVersion} and {@code kind}; a kind not here is not expected in k8s/. */
  static final Map<String, Class<?>> MODELS = Map.ofEntries(
      Map.entry("v1/ConfigMap", ConfigMap.class),
      Map.entry("v1/Secret", Secret.class),
      Map.entry("v1/Service", Service.class),
      Map.entry("v1/ServiceAccount", ServiceAccount.class),
      Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("apps/v1/DaemonSet", DaemonSet.class),
      Map.entry("batch/v1/Job", Job.class),
      Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
      Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
      Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
      Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
      Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
      Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class),
      Map.entry("flink.apache.org/v1beta1/FlinkDeployment", FlinkDeployment.class));

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .addModule(new SimpleModule("strict-models").setDeserializerModifier(new BeanDeserializerModifier() {
        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
            BeanDeserializerBuilder builder) {
          builder.setAnySetter(null);
          builder.setIgnoreUnknownProperties(false);
          return builder;
        }
      }))
      .build();

  private StrictModels() {}

  /** The model of a manifest; the Flink version is left out, which the operator's enum may not know yet. */
  static Object parse(ObjectNode manifest) throws JsonProcessingException {
    String key = manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
    Class<?> model = MODELS.get(key);
    if (model == null) {
      throw new IllegalArgumentException("No model of " + key + " (" + manifest.path("metadata").path("name") + ")");
    }
    ObjectNode tree = manifest.deepCopy();
    if (model == FlinkDeployment.class) {
      ((ObjectNode) tree.path("spec")).remove("flinkVersion");
    }
    return MAPPER.treeToValue(tree, model);
  }

  static <T> T parse(ObjectNode manifest, Class<T> model) throws JsonProcessingException {
    return model.cast(parse(manifest));
  }
}
