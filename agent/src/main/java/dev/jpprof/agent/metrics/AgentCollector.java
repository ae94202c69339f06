package dev.jpprof.agent.metrics;

import dev.jpprof.agent.Counters;
import dev.jpprof.agent.Requests;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The agent's own metrics, {@code jpprof_*}, read at each scrape from what the agent counts anyway:
 * {@link Counters} (the same numbers /debug/vars shows under {@code jvm.agent}), {@link Requests},
 * and the engines. Nothing is counted twice.
 */
final class AgentCollector implements MultiCollector {
  /** What it reads of the engines; a plain holder, so that naming it loads no Prometheus class. */
  static final class Sources {
    final Supplier<String> cpuEngine;
    final Supplier<MetricsPage.AllocEngine> allocEngine;

    Sources(Supplier<String> cpuEngine, Supplier<MetricsPage.AllocEngine> allocEngine) {
      this.cpuEngine = cpuEngine;
      this.allocEngine = allocEngine;
    }
  }

  private final Sources sources;

  AgentCollector(Sources sources) {
    this.sources = sources;
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, Long> counters = new TreeMap<>(Counters.snapshot());
    MetricsPage.AllocEngine alloc = sources.allocEngine.get();
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(engines(alloc));
    out.add(samples(counters.remove("cpu.samples"), counters.remove("wall.samples"), alloc));
    if (alloc.dropped >= 0) {
      out.add(
          counter(
              "jpprof_samples_dropped",
              "Samples taken but not kept (the collector was behind), by profiler kind.",
              point(alloc.dropped, "kind", "alloc")));
    }
    out.addAll(requests());
    out.addAll(CounterNames.snapshots(counters));
    return new MetricSnapshots(out);
  }

  /** {@code jpprof_engine_info{kind,engine} 1}: which engine serves CPU and allocation profiles. */
  private MetricSnapshot engines(MetricsPage.AllocEngine alloc) {
    return InfoSnapshot.builder()
        .name("jpprof_engine")
        .help("The engine each profiler kind uses (cpu.engine, alloc.engine), as a label.")
        .dataPoint(
            InfoDataPointSnapshot.builder()
                .labels(Labels.of("engine", sources.cpuEngine.get(), "kind", "cpu"))
                .build())
        .dataPoint(
            InfoDataPointSnapshot.builder()
                .labels(Labels.of("engine", alloc.name, "kind", "alloc"))
                .build())
        .build();
  }

  /**
   * cpu: the samples in the CPU profiles served (what {@code cpu.samples} counts); wall: those in
   * the wall-clock profiles served; alloc: the allocation samples the JVM took for heap and allocs,
   * where the engine counts them.
   */
  private static MetricSnapshot samples(Long cpu, Long wall, MetricsPage.AllocEngine alloc) {
    CounterSnapshot.Builder b =
        CounterSnapshot.builder()
            .name("jpprof_samples")
            .help(
                "Samples by profiler kind: cpu and wall, those in the CPU and wall-clock"
                    + " profiles served; alloc, the allocation samples taken for heap and allocs.")
            .dataPoint(point(cpu == null ? 0 : cpu, "kind", "cpu"))
            .dataPoint(point(wall == null ? 0 : wall, "kind", "wall"));
    if (alloc.taken >= 0) {
      b.dataPoint(point(alloc.taken, "kind", "alloc"));
    }
    return b.build();
  }

  /** Responses by endpoint and status, and the body bytes sent by endpoint. */
  private static List<MetricSnapshot> requests() {
    CounterSnapshot.Builder responses =
        CounterSnapshot.builder()
            .name("jpprof_http_requests")
            .help(
                "Requests answered, by endpoint (a row of the endpoint table, or other) and code.");
    Map<String, Long> bytesByEndpoint = new TreeMap<>();
    for (Map.Entry<Requests.Key, long[]> e : Requests.snapshot().entrySet()) {
      Requests.Key k = e.getKey();
      responses.dataPoint(
          point(e.getValue()[0], "code", Integer.toString(k.status), "endpoint", k.endpoint));
      bytesByEndpoint.merge(k.endpoint, e.getValue()[1], Long::sum);
    }
    CounterSnapshot.Builder bytes =
        CounterSnapshot.builder()
            .name("jpprof_http_response_bytes")
            .help("Response body bytes sent, by endpoint.");
    bytesByEndpoint.forEach((endpoint, n) -> bytes.dataPoint(point(n, "endpoint", endpoint)));
    return List.of(responses.build(), bytes.build());
  }

  static CounterSnapshot counter(String name, String help, CounterDataPointSnapshot point) {
    return CounterSnapshot.builder().name(name).help(help).dataPoint(point).build();
  }

  static CounterDataPointSnapshot point(double value, String... labels) {
    return CounterDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build();
  }
}
