package dev.jpprof.agent.metrics;

import dev.jpprof.agent.push.PushState;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * Push's state as gauges, present only while push runs (its counts are counters, {@link
 * CounterNames}). The last error's text is on the index page, not here: a label that changes with
 * every message would make a new series each time.
 */
final class PushMetrics {
  private PushMetrics() {}

  static List<MetricSnapshot> snapshots(PushState push) {
    return List.of(
        gauge(
            "jpprof_push_active",
            "1 while profiles are pushed (always without push.cpuThreshold), else 0.",
            push.active() ? 1 : 0),
        gauge("jpprof_push_queued", "Profiles waiting to be pushed.", push.queued()),
        gauge(
            "jpprof_push_last_success_timestamp_seconds",
            "When the push server last accepted a profile (0: never).",
            push.lastSuccessMillis() / 1000.0),
        gauge(
            "jpprof_push_last_error_timestamp_seconds",
            "When a push attempt last failed (0: never); the index page says why.",
            push.lastErrorMillis() / 1000.0));
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
        .build();
  }
}
