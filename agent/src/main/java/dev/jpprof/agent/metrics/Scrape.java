package dev.jpprof.agent.metrics;

import io.prometheus.metrics.config.MetricsProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The agent's own registry (never the client's default one), with the JVM metrics of {@code
 * JvmMetrics} but one, and the agent's. Built at the first /metrics request only.
 *
 * <p>Left out: {@code JvmNativeMemoryMetrics}. It calls {@code
 * ManagementFactory.getPlatformMBeanServer()} at every scrape (even without {@code
 * -XX:NativeMemoryTracking}, when it has nothing to show), and creating the platform MBeanServer
 * registers the JDK's logging MXBean, which initialises java.util.logging's LogManager: an
 * application that installs its own {@code java.util.logging.manager} later would lose it. The
 * other modules read the MXBeans through {@code ManagementFactory}'s getters, which create no
 * MBeanServer (as /debug/vars does).
 */
final class Scrape {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  Scrape(AgentCollector.Sources agent) {
    PrometheusProperties config = properties();
    JvmThreadsMetrics.builder(config).register(registry);
    JvmBufferPoolMetrics.builder(config).register(registry);
    JvmClassLoadingMetrics.builder(config).register(registry);
    JvmCompilationMetrics.builder(config).register(registry);
    JvmGarbageCollectorMetrics.builder(config).register(registry);
    JvmMemoryPoolAllocationMetrics.builder(config).register(registry);
    JvmMemoryMetrics.builder(config).register(registry);
    JvmRuntimeInfoMetric.builder(config).register(registry);
    ProcessMetrics.builder(config).register(registry);
    registry.register(new AgentCollector(agent));
  }

  byte[] write() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
    writer.write(out, registry.scrape());
    return out.toByteArray();
  }

  /**
   * The agent's configuration of the client: its defaults with exemplars off (a counter then never
   * looks for a tracer). Nothing comes from the application's configuration: profiler.jar's
   * PrometheusPropertiesLoader reads none (see io.prometheus.metrics.config in this module).
   */
  private static PrometheusProperties properties() {
    return PrometheusProperties.builder()
        .defaultMetricsProperties(MetricsProperties.builder().exemplarsEnabled(false).build())
        .build();
  }
}
