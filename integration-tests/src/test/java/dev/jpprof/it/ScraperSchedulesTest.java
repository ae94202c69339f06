package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Parca's and Grafana Alloy's default schedules against one demo JVM while a person holds a 30 s
 * CPU profile open (go-pprof-spec.md §7): Parca asks {@code profile?seconds=10} every 10 s with a
 * 13 s timeout; Alloy asks {@code profile?seconds=14} every 15 s with a 24 s timeout (10 s grown by
 * the interval − 1), its optional fgprof target ({@code /debug/fgprof?seconds=14}) likewise, and
 * its cumulative targets (allocs, block, goroutine, mutex) every 15 s with 10 s. Every answer must
 * come within its scraper's timeout as a 200 with {@code application/octet-stream} and a profile
 * Go's conventions accept.
 */
class ScraperSchedulesTest {
  /** One scrape: when (ms after the start), what, and the scraper's timeout. */
  private static final class Scrape {
    final long atMs;
    final String path;
    final Duration timeout;

    Scrape(long atMs, String path, Duration timeout) {
      this.atMs = atMs;
      this.path = path;
      this.timeout = timeout;
    }
  }

  @EveryJdk
  void parcaAndAlloyScrapesSucceedDuringAPersonsThirtySecondProfile(Jdk jdk) throws Exception {
    List<Scrape> scrapes = new ArrayList<>();
    scrapes.add(new Scrape(0, "profile?seconds=30", Duration.ofSeconds(60))); // the person
    for (long t = 0; t < 30_000; t += 10_000) {
      scrapes.add(new Scrape(t, "profile?seconds=10", Duration.ofSeconds(13))); // Parca
    }
    for (long t = 0; t < 30_000; t += 15_000) {
      scrapes.add(new Scrape(t, "profile?seconds=14", Duration.ofSeconds(24))); // Alloy
      scrapes.add(new Scrape(t, "/debug/fgprof?seconds=14", Duration.ofSeconds(24)));
      for (String name : List.of("allocs", "block", "goroutine", "mutex")) {
        scrapes.add(new Scrape(t, name, Duration.ofSeconds(10)));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(scrapes.size());
    try (AgentJvm jvm = AgentJvm.on(jdk).demo().start()) {
      // The first CPU window loads the native engine; the schedules start warm, as in a fleet.
      assertEquals(200, profile(jvm, "profile?seconds=1", Duration.ofSeconds(60)).status());
      long t0 = System.nanoTime();
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (Scrape s : scrapes) {
        results.add(CompletableFuture.supplyAsync(() -> scrape(jvm, s, t0), pool));
      }
      List<String> failures = new ArrayList<>();
      for (CompletableFuture<String> r : results) {
        String failure = r.get(120, TimeUnit.SECONDS);
        if (failure != null) {
          failures.add(failure);
        }
      }
      assertTrue(failures.isEmpty(), String.join("\n", failures));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits for the scrape's time, runs it; null if it succeeded, else what went wrong. */
  private static String scrape(AgentJvm jvm, Scrape s, long t0) {
    try {
      long left = t0 + TimeUnit.MILLISECONDS.toNanos(s.atMs) - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.sleep(left);
      }
      long start = System.nanoTime();
      Http.Response r = profile(jvm, s.path, s.timeout);
      long ms = (System.nanoTime() - start) / 1_000_000;
      String what = s.path + " at " + s.atMs + " ms (" + ms + " ms): ";
      if (r.status() != 200) {
        return what + r;
      }
      if (!r.header("Content-Type").startsWith("application/octet-stream")) {
        return what + "Content-Type " + r.header("Content-Type");
      }
      if (ms > s.timeout.toMillis()) {
        return what + "over the scraper's timeout of " + s.timeout;
      }
      ProfileView.parse(r.body()).assertGoConventions();
      return null;
    } catch (Exception | AssertionError e) {
      return s.path + " at " + s.atMs + " ms: " + e;
    }
  }

  /** A profile under /debug/pprof/, or at a full path. */
  private static Http.Response profile(AgentJvm jvm, String path, Duration timeout) {
    String target = path.startsWith("/") ? path : "/debug/pprof/" + path;
    return Http.request(jvm.port(), "GET", target, null, timeout);
  }
}
