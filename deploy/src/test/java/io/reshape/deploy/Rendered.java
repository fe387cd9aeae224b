package io.reshape.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The manifests {@code kubectl kustomize} renders for a directory of {@code k8s/}, each as a tree. */
final class Rendered {

  /** What can be applied: the base alone and each overlay. */
  static final List<String> TARGETS = List.of("base", "overlays/dev", "overlays/production");

  static final Path ROOT = Path.of(System.getProperty("reshape.root", "..")).toAbsolutePath().normalize();

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Map<String, List<ObjectNode>> CACHE = new ConcurrentHashMap<>();

  private Rendered() {}

  static List<ObjectNode> manifests(String target) {
    return CACHE.computeIfAbsent(target, Rendered::render);
  }

  static List<ObjectNode> ofKind(String target, String kind) {
    return manifests(target).stream().filter(m -> m.path("kind").asText().equals(kind)).toList();
  }

  /** The one manifest of a kind and name; fails when there is none. */
  static ObjectNode named(String target, String kind, String name) {
    return ofKind(target, kind).stream().filter(m -> m.path("metadata").path("name").asText().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError(target + " renders no " + kind + " " + name));
  }

  private static List<ObjectNode> render(String target) {
    Path dir = ROOT.resolve("k8s").resolve(target);
    try {
      Process kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      byte[] out = kubectl.getInputStream().readAllBytes();
      if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
        throw new AssertionError("kubectl kustomize " + dir + " failed");
      }
      List<ObjectNode> manifests = new ArrayList<>();
      for (JsonNode doc : YAML.readValues(YAML.createParser(new String(out, StandardCharsets.UTF_8)), JsonNode.class)
          .readAll()) {
        manifests.add((ObjectNode) doc);
      }
      return List.copyOf(manifests);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot render " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
