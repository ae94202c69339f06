package dev.jpprof.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.agent.Counters;
import dev.jpprof.agent.Requests;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exposition: the client's JVM metrics under their usual names, and the agent's own read from
 * Counters, Requests and the engines, in the text format 0.0.4.
 */
class MetricsPageTest {
  private static String render(MetricsPage page) throws Exception {
    return new String(page.render(), StandardCharsets.UTF_8);
  }

  @Test
  void jvmMetricsHaveTheNamesJavaUsersChart() throws Exception {
    String text =
        render(new MetricsPage(() -> "async-profiler", () -> MetricsPage.AllocEngine.OFF));
    for (String line :
        List.of(
            "# TYPE jvm_memory_used_bytes gauge",
            "# TYPE jvm_threads_current gauge",
            "# TYPE jvm_threads_state gauge",
            "# TYPE jvm_gc_collection_seconds summary",
            "# TYPE process_cpu_seconds_total counter",
            "# TYPE jvm_classes_currently_loaded gauge",
            "# TYPE jvm_runtime_info gauge")) {
      assertTrue(text.contains(line + "\n"), line + " in\n" + text);
    }
    assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"} "), text);
    // Left out: it would create the platform MBeanServer (see Scrape).
    assertFalse(text.contains("jvm_native_memory"), text);
  }

  @Test
  void agentMetricsReuseTheAgentsCounters() throws Exception {
    Counters.add("cpu.samples", 0); // present, whatever other tests added
    Requests.answered("/debug/pprof/heap", 200, 1234);
    MetricsPage page =
        new MetricsPage(() -> "jfr", () -> new MetricsPage.AllocEngine("jvmti", 42, 3));
    String text = render(page);

    assertTrue(text.contains("jpprof_engine_info{engine=\"jfr\",kind=\"cpu\"} 1"), text);
    assertTrue(text.contains("jpprof_engine_info{engine=\"jvmti\",kind=\"alloc\"} 1"), text);
    assertEquals(42, value(text, "jpprof_samples_total{kind=\"alloc\"}"));
    assertEquals(
        Counters.snapshot().get("cpu.samples"),
        (long) value(text, "jpprof_samples_total{kind=\"cpu\"}"));
    assertEquals(3, value(text, "jpprof_samples_dropped_total{kind=\"alloc\"}"));
    assertTrue(
        value(text, "jpprof_http_requests_total{code=\"200\",endpoint=\"/debug/pprof/heap\"}") >= 1,
        text);
    assertTrue(
        value(text, "jpprof_http_response_bytes_total{endpoint=\"/debug/pprof/heap\"}") >= 1234,
        text);
    assertTrue(text.contains("# TYPE jpprof_errors_total counter\n"), text);
    assertTrue(text.contains("# TYPE jpprof_profile_encode_seconds_total counter\n"), text);
  }

  @Test
  void nanosecondsAreShownAsSeconds() throws Exception {
    double before =
        value(
            render(new MetricsPage(() -> "jfr", () -> MetricsPage.AllocEngine.OFF)),
            "jpprof_profile_encode_seconds_total");
    Counters.add("profiles.encodeNanos", 2_000_000_000L);
    double after =
        value(
            render(new MetricsPage(() -> "jfr", () -> MetricsPage.AllocEngine.OFF)),
            "jpprof_profile_encode_seconds_total");
    assertEquals(2.0, after - before, 1e-6);
  }

  @Test
  void aCounterNotInTheTableStillAppearsUnderALegalName() throws Exception {
    Counters.add("test.new-counter", 7);
    String text = render(new MetricsPage(() -> "jfr", () -> MetricsPage.AllocEngine.OFF));
    assertEquals(7, value(text, "jpprof_test_new_counter_total"));
    assertEquals("jpprof_a_b_c", CounterNames.legal("a.b-c"));
  }

  @Test
  void withoutAllocationCountsOnlyCpuSamplesAreShown() throws Exception {
    String text = render(new MetricsPage(() -> "jfr", () -> MetricsPage.AllocEngine.OFF));
    assertTrue(text.contains("jpprof_engine_info{engine=\"off\",kind=\"alloc\"} 1"), text);
    assertFalse(text.contains("jpprof_samples_total{kind=\"alloc\"}"), text);
    assertFalse(text.contains("jpprof_samples_dropped_total"), text);
  }

  /** The value of the sample line that starts with {@code series} and a space. */
  private static double value(String text, String series) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    assertTrue(m.find(), series + " in\n" + text);
    return Double.parseDouble(m.group(1));
  }
}
