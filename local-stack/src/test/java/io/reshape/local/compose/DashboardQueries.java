package io.reshape.local.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Prometheus queries of Grafana dashboards: every panel's targets, rows' panels among them. */
final class DashboardQueries {

  /** A panel's query, named by its dashboard and panel titles. */
  record Query(String panel, String expr) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private DashboardQueries() {}

  /** The queries of every dashboard ({@code *.json}) in {@code dir}. */
  static List<Query> inDirectory(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Query> queries = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        queries.addAll(of(JSON.readTree(file.toFile())));
      }
      return queries;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Query> of(JsonNode dashboard) {
    List<Query> queries = new ArrayList<>();
    collect(dashboard.path("title").asText(), dashboard.path("panels"), queries);
    return queries;
  }

  private static void collect(String dashboard, JsonNode panels, List<Query> into) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          into.add(new Query(dashboard + " / " + panel.path("title").asText(), target.get("expr").asText()));
        }
      }
      collect(dashboard, panel.path("panels"), into);
    }
  }
}
