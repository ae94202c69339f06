package dev.jpprof.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.testing.Waits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * A client that goes away in the middle of a CPU profile closes its window: the native session
 * stops (the index page says the engine is idle, and async-profiler's own thread is gone) long
 * before the 30 s it asked for, and the next profile works.
 */
class DisconnectTest {
  @EveryJdk
  void aDisconnectClosesTheWindow(Jdk jdk) throws IOException, InterruptedException {
    try (AgentJvm jvm = AgentJvm.on(jdk).demo().start()) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), jvm.port())) {
        OutputStream out = socket.getOutputStream();
        out.write(
            ("GET /debug/pprof/profile?seconds=30 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String running =
            awaitEngine(jvm, line -> line.contains("async-profiler") && !line.contains("idle"));
        assertTrue(running.contains("async-profiler"), running);
        assertTrue(
            profilerThreads(jvm) > 0,
            "a running profile has async-profiler's thread: " + jvm.threadNames());
      } // the client hangs up, 29 s early
      long closedAt = System.nanoTime();
      String idle = awaitEngine(jvm, line -> line.contains("idle"));
      long ms = (System.nanoTime() - closedAt) / 1_000_000;
      assertTrue(idle.contains("idle"), "still profiling after the client left: " + idle);
      assertTrue(ms < 10_000, "window closed only after " + ms + " ms");
      // async-profiler's thread ends shortly after the engine stops, not with it.
      Waits.until(Duration.ofSeconds(5), () -> profilerThreads(jvm) == 0);
      assertEquals(
          0,
          profilerThreads(jvm),
          "no profiler thread left 5 s after the engine stopped: " + jvm.threadNames());

      Http.Response next = Http.get(jvm.port(), "/debug/pprof/profile?seconds=1");
      assertEquals("HTTP/1.1 200 OK", next.statusLine(), next::text);
      ProfileView.parse(next.body()).assertGoConventions();
    }
  }

  private static long profilerThreads(AgentJvm jvm) {
    return jvm.threadNames().stream().filter(n -> n.startsWith("Async-profiler")).count();
  }

  /** Polls the index page (at most 20 s) until its engine line matches; returns the last line. */
  private static String awaitEngine(AgentJvm jvm, Predicate<String> wanted) {
    String[] line = {""};
    Waits.until(
        Duration.ofSeconds(20),
        Duration.ofMillis(100),
        () -> {
          String index = Http.get(jvm.port(), "/debug/pprof/").text();
          int at = index.indexOf("CPU engine:");
          line[0] = at < 0 ? index : index.substring(at, index.indexOf("<br>", at));
          return wanted.test(line[0]);
        });
    return line[0];
  }
}
