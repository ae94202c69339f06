/**
 * /metrics for Prometheus: the JVM metrics of Prometheus' own Java client (the names Java users
 * already chart: {@code jvm_memory_used_bytes}, {@code jvm_threads_current}, {@code
 * jvm_gc_collection_seconds}, {@code process_cpu_seconds_total}, ...) and the agent's own ({@code
 * jpprof_*}), in the text format 0.0.4:
 *
 * <pre>
 * curl http://localhost:6060/metrics
 * </pre>
 *
 * <p>The client is a relocated copy ({@code dev.jpprof.shaded.io.prometheus}): an application with
 * its own Prometheus client keeps its own default registry. Nothing of it is loaded before the
 * first request ({@link MetricsPage}), and it reads none of the application's Prometheus
 * configuration (see {@code io.prometheus.metrics.config.PrometheusPropertiesLoader} here).
 */
package dev.jpprof.agent.metrics;
