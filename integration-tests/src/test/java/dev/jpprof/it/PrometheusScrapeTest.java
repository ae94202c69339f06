package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Prometheus itself scrapes the agent: the real server from Debian's package, scraping the demo
 * JVM's /metrics every second, sees the target up and answers queries for a JVM metric and an agent
 * metric; promtool's linter accepts the exposition as it is.
 */
class PrometheusScrapeTest {
  private static final Duration SCRAPED = Duration.ofSeconds(60);

  /** {@code up} is 1 for the job's one target: the last scrape succeeded. */
  private static final Pattern UP = Pattern.compile("\"value\":\\[[0-9.]+,\"1\"\\]");

  @EveryJdk
  void prometheusScrapesTheAgent(Jdk jdk) throws Exception {
    try (AgentJvm jvm = AgentJvm.on(jdk).demo().start();
        PrometheusServer prometheus = PrometheusServer.scraping(jvm.port())) {
      String up = prometheus.awaitSeries("up{job=\"" + PrometheusServer.JOB + "\"} == 1", SCRAPED);
      assertTrue(UP.matcher(up).find(), up);

      String heap = prometheus.awaitSeries("jvm_memory_used_bytes{area=\"heap\"}", SCRAPED);
      assertTrue(heap.contains("\"__name__\":\"jvm_memory_used_bytes\""), heap);
      // The scrapes themselves: counted from the second one on.
      String scrapes =
          prometheus.awaitSeries(
              "jpprof_http_requests_total{endpoint=\"/metrics\",code=\"200\"} > 0", SCRAPED);
      assertTrue(scrapes.contains("\"endpoint\":\"/metrics\""), scrapes);
      String engine = prometheus.awaitSeries("jpprof_engine_info{kind=\"cpu\"}", SCRAPED);
      assertTrue(engine.contains("\"engine\":"), engine);
      // Prometheus' answers, for the record (the closing note of issue 13 quotes them).
      System.out.printf("PrometheusScrapeTest %s: %s%n%s%n", jdk, heap, scrapes);

      assertEquals(0, jvm.stdout().length, "nothing on stdout");
    }
  }

  /** promtool check metrics (its linter, reading stdin) finds nothing to say. */
  @EveryJdk
  void promtoolAcceptsTheExposition(Jdk jdk) throws Exception {
    try (AgentJvm jvm = AgentJvm.on(jdk).demo().start()) {
      Http.get(jvm.port(), "/debug/pprof/cmdline"); // a request counted, so that series exist
      Http.Response r = Http.get(jvm.port(), "/metrics");
      assertEquals(200, r.status(), r::text);
      assertEquals("text/plain; version=0.0.4; charset=utf-8", r.header("Content-Type"));
      String[] result = promtool(r.body());
      assertEquals("0", result[0], () -> "promtool: " + result[1] + "\n" + r.text());
    }
  }

  /** {exit code, output} of {@code promtool check metrics < exposition}, bounded to 30 s. */
  private static String[] promtool(byte[] exposition) throws IOException, InterruptedException {
    Path output = Files.createTempFile("jpprof-promtool", ".txt");
    try {
      Process p =
          new ProcessBuilder(PrometheusServer.PROMTOOL.toString(), "check", "metrics")
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(exposition);
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new String[] {"timeout", Files.readString(output)};
      }
      return new String[] {Integer.toString(p.exitValue()), Files.readString(output)};
    } finally {
      Files.delete(output);
    }
  }
}
