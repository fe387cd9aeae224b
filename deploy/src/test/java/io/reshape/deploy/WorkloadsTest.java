package io.reshape.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.registry.RegistryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The pods k8s/ asks for run what this build makes, as the applications expect, with no more power than they need. */
class WorkloadsTest {

  static final List<String> TARGETS = Rendered.TARGETS;

  /** Images built from this repository: {@code reshape/NAME}, the stage NAME of {@code docker/Dockerfile}. */
  private static final Pattern OWN_IMAGE = Pattern.compile("(?:.+/)?reshape/([a-z0-9-]+)(?::[\\w.-]+)?");
  private static final String REGISTRY_IMAGE = "confluentinc/cp-schema-registry:7.9.0";
  /** Where the agent and the coordinator serve /metrics and /health (RESHAPE_METRICS_PORT's default). */
  private static final int METRICS_PORT = 9464;
  private static final int FLINK_METRICS_PORT = 9249;
  private static final Set<String> SOURCES = javaSources();

  @ParameterizedTest
  @FieldSource("TARGETS")
  void noPodGetsServiceLinks(String target) throws Exception {
    assertThat(Workload.of(target)).hasSize(6)
        .allSatisfy(w -> assertThat(w.pod().getEnableServiceLinks()).as(w.toString()).isFalse());
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void everyContainerAsksForCpuAndMemoryAndIsHeldToItsMemory(String target) throws Exception {
    for (Workload workload : Workload.of(target)) {
      for (Container c : workload.containers()) {
        if (c.getName().equals(Workload.FLINK_MAIN_CONTAINER)) {
          continue; // the operator sizes it from jobManager.resource and taskManager.resource, checked below
        }
        assertThat(c.getResources().getRequests()).as("%s %s", workload, c.getName()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).as("%s %s", workload, c.getName()).containsKey("memory");
      }
    }
    for (ObjectNode manifest : Rendered.ofKind(target, "FlinkDeployment")) {
      FlinkDeployment flink = StrictModels.parse(manifest, FlinkDeployment.class);
      assertThat(List.of(flink.getSpec().getJobManager().getResource(), flink.getSpec().getTaskManager().getResource()))
          .allSatisfy(r -> {
            assertThat(r.getCpu()).isPositive();
            assertThat(r.getMemory()).isNotBlank();
          });
    }
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void everyImageIsOneThisRepositoryBuildsOrTheRegistry(String target) throws Exception {
    Set<String> images = images(target);

    assertThat(images.stream().filter(i -> !OWN_IMAGE.matcher(i).matches())).containsExactly(REGISTRY_IMAGE);
    assertThat(images.stream().map(WorkloadsTest::stage).filter(p -> p != null).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("agent", "coordinator", "jobs");
    // Tagged with the version this build gives its artifacts.
    assertThat(images.stream().filter(i -> OWN_IMAGE.matcher(i).matches()))
        .allSatisfy(i -> assertThat(i).endsWith(":" + System.getProperty("project.version")));
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void everyImageThisRepositoryBuildsIsAStageOfItsDockerfile(String target) throws Exception {
    Set<String> stages = Pattern.compile("(?m)^FROM \\S+ AS ([a-z0-9-]+)$")
        .matcher(Files.readString(Rendered.ROOT.resolve("docker/Dockerfile"))).results().map(m -> m.group(1))
        .collect(Collectors.toSet());
    for (String image : images(target)) {
      String stage = stage(image);
      if (stage != null) {
        assertThat(stages).as(image).contains(stage);
      }
    }
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void everyVariableGivenToReshapeIsOneItReads(String target) throws Exception {
    for (Workload workload : Workload.of(target)) {
      for (Container c : ownContainers(workload)) {
        assertThat(unread(environment(target, c))).as("%s %s: variables Reshape does not read", workload, c.getName())
            .isEmpty();
      }
    }
  }

  @Test
  void aVariableReshapeDoesNotReadIsFound() {
    Map<String, String> env = Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", "kafka:9093", "SCHEMA_REGISTRY_URL", "http://registry:8081",
        "RESHAPE_SPOOL_DIR", "/var/lib/reshape/spool", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "RESHAPE_SPOOL_DIRECTORY", "/spool", "KAFKA_SSL_TRUSTSTORE_LOCATON", "/ca.crt",
        "SCHEMA_REGISTRY_BASIC_AUTH_USER", "reshape", "JAVA_OPTS", "-Xmx1g");

    assertThat(unread(env)).containsExactlyInAnyOrder(
        "RESHAPE_SPOOL_DIRECTORY", "KAFKA_SSL_TRUSTSTORE_LOCATON", "SCHEMA_REGISTRY_BASIC_AUTH_USER", "JAVA_OPTS");
  }

  /**
   * The variables of {@code env} Reshape never reads: a {@code RESHAPE_*} name no main source
   * spells, a {@code KAFKA_*} or {@code SCHEMA_REGISTRY_*} one that {@link KafkaConnection} turns
   * into no Kafka client or registry setting, and any other.
   */
  private static Set<String> unread(Map<String, String> env) {
    Set<String> kafkaSettings = Stream.of(ProducerConfig.configNames(), ConsumerConfig.configNames(),
        AdminClientConfig.configNames()).flatMap(Set::stream).collect(Collectors.toSet());
    Set<String> registrySettings = registrySettings();
    Set<String> unread = new TreeSet<>();
    for (String name : env.keySet()) {
      Map<String, String> alone = new HashMap<>(Map.of(
          "KAFKA_BOOTSTRAP_SERVERS", "kafka:9093", "SCHEMA_REGISTRY_URL", "http://registry:8081"));
      alone.put(name, env.get(name));
      KafkaConnection connection = KafkaConnection.fromEnv(alone);
      boolean read = name.startsWith("RESHAPE_") ? SOURCES.contains(name)
          : name.startsWith("KAFKA_") ? kafkaSettings.containsAll(connection.clientProperties().keySet())
          : name.startsWith("SCHEMA_REGISTRY_") && registrySettings.containsAll(connection.registryProperties().keySet());
      if (!read) {
        unread.add(name);
      }
    }
    return unread;
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void theAgentAndCoordinatorServeMetricsAndHealthOnTheirPort(String target) throws Exception {
    for (Workload workload : Workload.of(target)) {
      for (Container c : ownContainers(workload)) {
        Map<String, String> env = environment(target, c);
        if (c.getArgs().equals(List.of("io.reshape.coordinator.SetUp"))) {
          assertThat(c.getPorts()).as("%s: the set-up listens nowhere", workload).isEmpty();
        } else if (c.getImage().matches(".*reshape/(agent|coordinator)(:.*)?")) {
          assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).as(workload.toString()).containsExactly(METRICS_PORT);
          assertThat(env).containsEntry("RESHAPE_METRICS_PORT", Integer.toString(METRICS_PORT));
          assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
          assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(c.getPorts().get(0).getName());
        } else if (c.getName().equals(Workload.FLINK_MAIN_CONTAINER)) {
          assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).containsExactly(FLINK_METRICS_PORT);
        } else {
          throw new AssertionError(workload + ": a container of Reshape that is none of the known ones");
        }
      }
    }
    for (ObjectNode manifest : Rendered.ofKind(target, "FlinkDeployment")) {
      Map<String, String> config = StrictModels.parse(manifest, FlinkDeployment.class).getSpec().getFlinkConfiguration();
      assertThat(config)
          .containsEntry("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
          .containsEntry("metrics.reporter.prom.port", Integer.toString(FLINK_METRICS_PORT));
    }
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void theAgentSeesTheHostWithOnlyTheCapabilitiesItsSourcesAndDriversNeed(String target) throws Exception {
    Workload agent = Workload.of(target).stream().filter(w -> w.name().equals("reshape-agent")).findFirst().orElseThrow();
    Container container = agent.pod().getContainers().get(0);
    SecurityContext security = container.getSecurityContext();

    assertThat(agent.pod().getHostPID()).isTrue();
    assertThat(agent.pod().getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd())
        .containsExactlyInAnyOrder("SYS_PTRACE", "SYS_NICE", "NET_ADMIN", "DAC_OVERRIDE");
    assertThat(agent.pod().getVolumes().stream().map(Volume::getHostPath).filter(h -> h != null).map(HostPathVolumeSource::getPath))
        .containsExactlyInAnyOrder("/dev/kvm", "/var/run/libvirt", "/var/lib/libvirt/qemu", "/sys/kernel/mm/ksm", "/var/lib/reshape");
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("RESHAPE_HOST_ID"))
        .singleElement().satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName"));
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void theFlinkJobsUpgradeThroughSavepointsAndKeepTheirStateOnTheSharedVolume(String target) throws Exception {
    Set<String> parts = new HashSet<>();
    for (ObjectNode manifest : Rendered.ofKind(target, "FlinkDeployment")) {
      FlinkDeployment flink = StrictModels.parse(manifest, FlinkDeployment.class);
      Map<String, String> config = flink.getSpec().getFlinkConfiguration();
      assertThat(flink.getSpec().getJob().getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
      assertThat(flink.getSpec().getJob().getJarURI()).isEqualTo("local:///opt/flink/usrlib/reshape-jobs.jar");
      assertThat(config).containsEntry("high-availability.type", "kubernetes");
      Container main = flink.getSpec().getPodTemplate().getSpec().getContainers().get(0);
      String mounted = "file://" + main.getVolumeMounts().stream()
          .filter(m -> m.getName().equals("flink-data")).findFirst().orElseThrow().getMountPath() + "/";
      assertThat(List.of("state.checkpoints.dir", "state.savepoints.dir", "high-availability.storageDir"))
          .allSatisfy(key -> assertThat(config.get(key)).as(key).startsWith(mounted));
      main.getEnv().stream().filter(e -> e.getName().equals("RESHAPE_JOBS")).map(EnvVar::getValue).forEach(parts::add);
    }
    assertThat(parts).containsExactlyInAnyOrder("analytics", "planner");
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void everyDeploymentHasADisruptionBudget(String target) throws Exception {
    List<PodDisruptionBudget> budgets = Rendered.ofKind(target, "PodDisruptionBudget").stream()
        .map(m -> parse(m, PodDisruptionBudget.class)).toList();
    for (Workload workload : Workload.of(target)) {
      if (workload.kind().equals("Deployment")) {
        assertThat(budgets).as(workload.toString()).anySatisfy(b ->
            assertThat(workload.labels()).containsAllEntriesOf(b.getSpec().getSelector().getMatchLabels()));
      }
    }
  }

  @ParameterizedTest
  @FieldSource("TARGETS")
  void everyServiceReachesAPortOfThePodsItSelects(String target) throws Exception {
    List<Workload> workloads = Workload.of(target);
    for (ObjectNode manifest : Rendered.ofKind(target, "Service")) {
      Service service = StrictModels.parse(manifest, Service.class);
      List<Workload> selected = workloads.stream()
          .filter(w -> w.labels().entrySet().containsAll(service.getSpec().getSelector().entrySet())).toList();
      assertThat(selected).as(service.getMetadata().getName()).isNotEmpty();
      for (ServicePort port : service.getSpec().getPorts()) {
        assertThat(selected).as("%s port %s", service.getMetadata().getName(), port.getName()).allSatisfy(w ->
            assertThat(w.containers().stream().flatMap(c -> c.getPorts().stream()))
                .anySatisfy(p -> {
                  assertThat(p.getName()).isEqualTo(port.getTargetPort().getStrVal());
                  assertThat(p.getContainerPort()).isEqualTo(port.getPort());
                }));
      }
    }
  }

  private static List<Container> ownContainers(Workload workload) {
    return workload.containers().stream().filter(c -> OWN_IMAGE.matcher(c.getImage()).matches()).toList();
  }

  private static Set<String> images(String target) throws Exception {
    return Workload.of(target).stream().flatMap(w -> w.containers().stream()).map(Container::getImage)
        .collect(Collectors.toSet());
  }

  /** The stage of docker/Dockerfile an image of this repository is built by; null for an image from elsewhere. */
  private static String stage(String image) {
    Matcher own = OWN_IMAGE.matcher(image);
    return own.matches() ? own.group(1) : null;
  }

  /** A container's variables by name, its ConfigMaps' among them; values from secrets or fields stand in as "*". */
  private static Map<String, String> environment(String target, Container container) {
    Map<String, String> env = new TreeMap<>();
    for (EnvFromSource from : container.getEnvFrom()) {
      ObjectNode configMap = Rendered.named(target, "ConfigMap", from.getConfigMapRef().getName());
      configMap.path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), var.getValue() != null ? var.getValue() : "*");
    }
    return env;
  }

  /** The settings a registry client reads: RegistryConfig's constants. */
  private static Set<String> registrySettings() {
    Set<String> settings = new HashSet<>();
    for (Field field : RegistryConfig.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          settings.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return settings;
  }

  /** Every string literal in the main sources of every module. */
  private static Set<String> javaSources() {
    Pattern literal = Pattern.compile("\"([A-Z0-9_]+)\"");
    try (Stream<Path> files = Files.walk(Rendered.ROOT)) {
      return files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
          .flatMap(p -> {
            try {
              return literal.matcher(Files.readString(p)).results().map(m -> m.group(1));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          })
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T parse(ObjectNode manifest, Class<T> model) {
    try {
      return StrictModels.parse(manifest, model);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
