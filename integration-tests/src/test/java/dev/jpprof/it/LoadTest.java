package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Load on loopback, bounded in count and time: 1 000 connections open at once, each with a request,
 * then a burst of 200 profile requests at once. Every client gets an answer (a 503 from the
 * in-flight limit counts), the demo's throughput keeps going, the server answers afterwards, and
 * the heap after a full GC is back near its level before.
 */
class LoadTest {
  private static final int CONNECTIONS = 1000;
  private static final int PROFILES = 200;

  /** Readers of the answers; the sockets themselves are all open at once. */
  private static final int READERS = 16;

  /** The whole load on one JDK must end within this. */
  private static final Duration CAP = Duration.ofSeconds(30);

  @EveryJdk
  void manyClientsAtOnce(Jdk jdk) throws Exception {
    // All 1 000 sockets are open at once: the connection cap (default 64) is raised above that.
    try (AgentJvm jvm =
        AgentJvm.on(jdk)
            .agent("port=0,maxConnections=" + (CONNECTIONS + 100))
            .main(AgentJvm.DEMO, AgentJvm.DEMO_SECONDS, "--stdin")
            .start()) {
      // Warm up what a first request loads (Netty's buffers, the native engine) before measuring.
      assertEquals(200, Http.get(jvm.port(), "/debug/pprof/profile?seconds=1").status());
      long heapBefore = jvm.heapUsedAfterGcKib();
      long rounds0 = jvm.demoRounds();
      long t0 = System.nanoTime();

      long deadline = System.nanoTime() + CAP.toNanos();
      Map<Integer, Integer> plain =
          burst(jvm.port(), CONNECTIONS, "/debug/pprof/cmdline", deadline);
      Map<Integer, Integer> profiles =
          burst(jvm.port(), PROFILES, "/debug/pprof/profile?seconds=1", deadline);

      long rounds1 = jvm.demoRounds();
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "LoadTest %s: %d connections %s, %d profiles %s, demo %d rounds in %.1f s%n",
          jdk, CONNECTIONS, plain, PROFILES, profiles, rounds1 - rounds0, seconds);

      assertEquals(CONNECTIONS, total(plain), "every connection answered: " + plain);
      assertTrue(
          plain.keySet().stream().allMatch(s -> s == 200 || s == 503), "only 200/503: " + plain);
      assertTrue(plain.getOrDefault(200, 0) > CONNECTIONS / 2, "most were served: " + plain);
      assertEquals(PROFILES, total(profiles), "every profile request answered: " + profiles);
      assertTrue(
          profiles.keySet().stream().allMatch(s -> s == 200 || s == 503),
          "only 200/503: " + profiles);
      assertTrue(profiles.getOrDefault(200, 0) > 0, "some profiles were taken: " + profiles);
      // demo-cpu finishes about 12 rounds a second alone; under the load it must not stall.
      assertTrue(rounds1 - rounds0 >= 3, "the demo stalled: " + (rounds1 - rounds0) + " rounds");

      // Afterwards: every in-flight slot came back and the server answers at once.
      Http.Response index = Http.get(jvm.port(), "/debug/pprof/");
      assertEquals(200, index.status());
      assertTrue(index.text().contains("idle"), "the engine is idle again: " + index.text());
      Map<Integer, Integer> again =
          burst(jvm.port(), 16, "/debug/pprof/cmdline", System.nanoTime() + 10_000_000_000L);
      assertEquals(Map.of(200, 16), again, "all 16 slots (maxRequests) are free again");

      long heapAfter = jvm.heapUsedAfterGcKib();
      System.out.printf(
          "LoadTest %s: heap after full GC %d KiB before, %d KiB after%n",
          jdk, heapBefore, heapAfter);
      assertTrue(
          heapAfter <= heapBefore + Math.max(4096, heapBefore / 4),
          "heap after a full GC grew from " + heapBefore + " to " + heapAfter + " KiB");
      assertTrue(jvm.isAlive(), jvm::describe);
    }
  }

  /**
   * Opens {@code n} connections, sends {@code target} on each (all before reading any answer, so
   * they are all in the server at once), then reads the answers with {@link #READERS} threads.
   * Returns status → count; an unanswered connection counts as status 0.
   */
  private static Map<Integer, Integer> burst(int port, int n, String target, long deadline)
      throws Exception {
    byte[] request = BadRequests.get(target).getBytes(ISO_8859_1);
    List<Socket> sockets = new ArrayList<>(n);
    ExecutorService readers = Executors.newFixedThreadPool(READERS);
    try {
      for (int i = 0; i < n; i++) {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        sockets.add(s);
        s.getOutputStream().write(request);
      }
      List<Future<Integer>> statuses = new ArrayList<>();
      for (Socket s : sockets) {
        statuses.add(readers.submit(() -> status(s, deadline)));
      }
      Map<Integer, Integer> counts = new TreeMap<>();
      for (Future<Integer> f : statuses) {
        long left = Math.max(1, deadline - System.nanoTime());
        counts.merge(f.get(left, TimeUnit.NANOSECONDS), 1, Integer::sum);
      }
      return counts;
    } finally {
      readers.shutdownNow();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /** The status of the one answer on {@code s}, reading it whole; 0 for none by the deadline. */
  private static int status(Socket s, long deadline) {
    try {
      s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      InputStream in = new BufferedInputStream(s.getInputStream());
      byte[] all = in.readAllBytes(); // Connection: close, so the answer ends with the stream
      String head = new String(all, 0, Math.min(all.length, 12), ISO_8859_1);
      return head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static int total(Map<Integer, Integer> counts) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey() != 0)
        .mapToInt(Map.Entry::getValue)
        .sum();
  }
}
