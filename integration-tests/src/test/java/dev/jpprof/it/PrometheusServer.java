package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jpprof.testing.Waits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real Prometheus (Debian's {@code prometheus} package, /usr/bin/prometheus) on a free loopback
 * port, with a temporary config that scrapes one target's /metrics every second and its storage in
 * a temporary directory; {@link #close} kills it and deletes both.
 */
final class PrometheusServer implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus");
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  /** The scrape job's name, the {@code job} label of every scraped series. */
  static final String JOB = "jpprof";

  private final Path dir;
  private final Process process;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  /** Starts Prometheus scraping {@code http://127.0.0.1:<targetPort>/metrics} every second. */
  static PrometheusServer scraping(int targetPort) throws IOException {
    Path dir = Files.createTempDirectory("jpprof-prometheus");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global:\n"
            + "  scrape_interval: 1s\n"
            + "  scrape_timeout: 1s\n"
            + "  evaluation_interval: 1s\n"
            + "scrape_configs:\n"
            + "  - job_name: "
            + JOB
            + "\n"
            + "    static_configs:\n"
            + "      - targets: ['127.0.0.1:"
            + targetPort
            + "']\n");
    int port = freePort();
    Process p =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    return new PrometheusServer(dir, p, port);
  }

  /** A loopback port free a moment ago (Prometheus binds it itself). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * The JSON answer of {@code /api/v1/query?query=<promql>}, or "" when Prometheus does not answer
   * (yet).
   */
  String query(String promql) {
    URI uri =
        URI.create(
            "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, UTF_8));
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Waits (bounded) until {@code promql} answers a non-empty vector; returns that answer. */
  String awaitSeries(String promql, Duration timeout) {
    String[] last = {""};
    Waits.await(
        timeout,
        () -> {
          last[0] = query(promql);
          return last[0].contains("\"status\":\"success\"") && last[0].contains("\"metric\":");
        },
        () -> "no series for " + promql + "; last answer: " + last[0] + "; " + describe());
    return last[0];
  }

  /** Whether Prometheus still runs, and the end of its log. */
  String describe() {
    String log;
    try {
      log = Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      log = "(no log: " + e + ")";
    }
    return "prometheus "
        + (process.isAlive() ? "running" : "exited " + process.exitValue())
        + ", log:\n"
        + log.substring(Math.max(0, log.length() - 4000));
  }

  @Override
  public void close() {
    ExternalProgram.end(process, dir);
  }
}
