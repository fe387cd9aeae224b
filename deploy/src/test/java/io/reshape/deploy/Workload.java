package io.reshape.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * A pod spec a rendering asks for, from a Deployment, DaemonSet, Job or FlinkDeployment (whose
 * main container takes the deployment's image).
 *
 * @param labels the pod's labels
 */
record Workload(String kind, String name, Map<String, String> labels, PodSpec pod) {

  /** The Flink operator's name for the container it runs Flink in. */
  static final String FLINK_MAIN_CONTAINER = "flink-main-container";

  static List<Workload> of(String target) throws Exception {
    List<Workload> workloads = new ArrayList<>();
    for (ObjectNode manifest : Rendered.manifests(target)) {
      Object model = StrictModels.parse(manifest);
      String name = manifest.path("metadata").path("name").asText();
      if (model instanceof Deployment d) {
        workloads.add(new Workload("Deployment", name, d.getSpec().getTemplate().getMetadata().getLabels(),
            d.getSpec().getTemplate().getSpec()));
      } else if (model instanceof DaemonSet d) {
        workloads.add(new Workload("DaemonSet", name, d.getSpec().getTemplate().getMetadata().getLabels(),
            d.getSpec().getTemplate().getSpec()));
      } else if (model instanceof Job j) {
        workloads.add(new Workload("Job", name, j.getSpec().getTemplate().getMetadata().getLabels(),
            j.getSpec().getTemplate().getSpec()));
      } else if (model instanceof FlinkDeployment f) {
        PodSpec pod = f.getSpec().getPodTemplate().getSpec();
        pod.getContainers().stream().filter(c -> c.getName().equals(FLINK_MAIN_CONTAINER))
            .forEach(c -> c.setImage(f.getSpec().getImage()));
        workloads.add(new Workload("FlinkDeployment", name, f.getSpec().getPodTemplate().getMetadata().getLabels(), pod));
      }
    }
    return workloads;
  }

  List<Container> containers() {
    List<Container> all = new ArrayList<>(pod.getContainers());
    all.addAll(pod.getInitContainers());
    return all;
  }

  @Override
  public String toString() {
    return kind + " " + name;
  }
}
