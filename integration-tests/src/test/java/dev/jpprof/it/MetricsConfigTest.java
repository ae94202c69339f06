package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The application's Prometheus configuration is the application's: settings for its own client
 * (environment, system properties, a config file that the agent could not even read) neither
 * configure nor break the agent's relocated copy. The client's own loader would throw on the
 * environment variables here ("Unknown property": the relocated copy never consumes them) and so
 * fail every /metrics request.
 */
class MetricsConfigTest {
  @EveryJdk
  void theApplicationsPrometheusSettingsDoNotReachTheAgent(Jdk jdk) throws Exception {
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .prefix(
                List.of(
                    "env",
                    "IO_PROMETHEUS_METRICS_EXEMPLARS_ENABLED=false",
                    "IO_PROMETHEUS_NOT_A_PROPERTY=1",
                    "PROMETHEUS_CONFIG=/nonexistent/prometheus.properties"))
            .options(List.of("-Dio.prometheus.not_a_property=1"))
            .demo()
            .start()) {
      Http.Response r = Http.get(jvm.port(), "/metrics");
      assertEquals(200, r.status(), r::text);
      assertTrue(r.text().contains("jvm_memory_used_bytes{area=\"heap\"}"), r.text());
      List<String> agentLines =
          jvm.stderrLines().stream()
              .filter(l -> l.startsWith("jpprof:"))
              .collect(Collectors.toList());
      assertEquals(1, agentLines.size(), "the serving line only: " + jvm.describe());
    }
  }
}
