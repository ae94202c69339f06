package dev.jpprof.agent.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rest of {@link dev.jpprof.agent.Counters} under Prometheus names: {@code jpprof_} prefix,
 * {@code _total} (added by the writer), base units (nanoseconds become seconds). A counter not in
 * the table still appears, under its own name made legal, so one added later is never missing.
 */
final class CounterNames {
  private CounterNames() {}

  /** One known counter: its Prometheus name (without _total), help, and factor to base units. */
  private static final class Name {
    final String counter;
    final String name;
    final String help;
    final double scale;

    Name(String counter, String name, String help, double scale) {
      this.counter = counter;
      this.name = name;
      this.help = help;
      this.scale = scale;
    }
  }

  private static final List<Name> NAMES =
      List.of(
          new Name("profiles.encoded", "jpprof_profiles_encoded", "Profiles encoded and sent.", 1),
          new Name(
              "profiles.encodeNanos",
              "jpprof_profile_encode_seconds",
              "Time spent encoding (and gzipping) profiles.",
              1e-9),
          new Name(
              "profiles.bytes",
              "jpprof_profile_encoded_bytes",
              "Bytes of the gzipped profiles encoded.",
              1),
          new Name(
              "errors",
              "jpprof_errors",
              "Failures inside the agent (each kind reported once on stderr).",
              1),
          new Name(
              "push.uploads", "jpprof_push_uploads", "Profiles the push server accepted (2xx).", 1),
          new Name(
              "push.retries",
              "jpprof_push_retries",
              "Push attempts that failed and will be tried again (no answer, 429, 5xx).",
              1),
          new Name(
              "push.rejected",
              "jpprof_push_rejected",
              "Profiles the push server refused with a 4xx other than 429 (not retried).",
              1),
          new Name(
              "push.dropped",
              "jpprof_push_dropped",
              "Profiles dropped unsent because the push queue was full (the oldest go first).",
              1),
          new Name(
              "connections.refused",
              "jpprof_connections_refused",
              "Connections closed at once because maxConnections were open.",
              1));

  /** Snapshots of {@code counters}: the known ones always (0 until counted), then any other. */
  static List<MetricSnapshot> snapshots(Map<String, Long> counters) {
    List<MetricSnapshot> out = new ArrayList<>();
    for (Name n : NAMES) {
      Long v = counters.remove(n.counter);
      out.add(
          AgentCollector.counter(
              n.name, n.help, AgentCollector.point(v == null ? 0 : v * n.scale)));
    }
    counters.forEach(
        (counter, v) ->
            out.add(
                AgentCollector.counter(
                    legal(counter),
                    "The agent's counter " + counter + ".",
                    AgentCollector.point(v))));
    return out;
  }

  /**
   * {@code jpprof_} and the counter's name with every character Prometheus refuses as {@code _}.
   */
  static String legal(String counter) {
    return "jpprof_" + counter.replaceAll("[^a-zA-Z0-9_]", "_");
  }
}
