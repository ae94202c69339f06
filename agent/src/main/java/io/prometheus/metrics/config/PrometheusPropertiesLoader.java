package io.prometheus.metrics.config;

import java.util.Map;

/**
 * The agent's replacement for the Prometheus client's loader of the same name (the client's own is
 * left out of profiler.jar, see agent/pom.xml; this one is relocated with the rest). The client
 * runs its loader once, when {@code PrometheusProperties} initialises, whatever is asked of it. The
 * original reads the application's configuration: {@code prometheus.properties} through the
 * thread's context class loader, the file named by {@code prometheus.config} or {@code
 * PROMETHEUS_CONFIG}, {@code io.prometheus.*} system properties and {@code IO_PROMETHEUS_*}
 * environment variables, and throws on a key it does not know. In the agent's relocated copy that
 * would configure the agent's metrics with settings meant for the application's own client, and an
 * {@code IO_PROMETHEUS_*} variable (looked up under the relocated prefix, so never consumed) would
 * fail the class init and with it every /metrics request. The agent configures its copy in code
 * ({@code dev.jpprof.agent.metrics.Scrape}); this loader reads nothing.
 */
public final class PrometheusPropertiesLoader {
  private PrometheusPropertiesLoader() {}

  /** The client's defaults, read from nowhere. */
  public static PrometheusProperties load() {
    return PrometheusProperties.builder().build();
  }

  /** The client's defaults; {@code externalProperties} are ignored as everything else is. */
  public static PrometheusProperties load(Map<Object, Object> externalProperties) {
    return load();
  }
}
