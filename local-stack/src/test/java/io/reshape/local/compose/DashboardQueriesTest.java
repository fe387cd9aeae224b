package io.reshape.local.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DashboardQueriesTest {

  @Test
  void findsTheQueriesOfPanelsAndOfPanelsInRows() throws Exception {
    String dashboard = """
        {"title": "D", "panels": [
          {"title": "a", "targets": [{"expr": "sum(x)"}, {"expr": "y"}]},
          {"title": "row", "type": "row", "panels": [{"title": "b", "targets": [{"expr": "z"}]}]},
          {"title": "text", "type": "text"}
        ]}""";

    assertThat(DashboardQueries.of(new ObjectMapper().readTree(dashboard))).containsExactly(
        new DashboardQueries.Query("D / a", "sum(x)"), new DashboardQueries.Query("D / a", "y"),
        new DashboardQueries.Query("D / b", "z"));
  }

  @Test
  void theProvisionedDashboardsHaveQueries() {
    Path dashboards = Path.of(System.getProperty("reshape.repository", "..")).resolve("docker/grafana/dashboards");
    assertThat(DashboardQueries.inDirectory(dashboards)).hasSizeGreaterThanOrEqualTo(10)
        .allSatisfy(q -> assertThat(q.expr()).isNotBlank());
  }
}
