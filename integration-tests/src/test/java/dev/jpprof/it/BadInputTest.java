package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Malformed and odd requests against a real child JVM, one per JDK: each gets Go's status (and
 * text, where Go defines one) or a clear 4xx; never a 500, a Java stack trace, a hang, or a
 * connection dropped without an answer. The child runs with {@code maxSeconds=1} so that every
 * profile request Go would run for its default 30 s ends after 1 s, and with {@code idleTimeout=2s}
 * for the stalled clients. The table is {@link BadRequests}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  static final int IDLE_SECONDS = 2;
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private final DemoJvms jvms =
      new DemoJvms("port=0,maxSeconds=1,idleTimeout=" + IDLE_SECONDS + "s");
  private final AtomicInteger tried = new AtomicInteger();
  private final AtomicInteger crashes = new AtomicInteger(); // 5xx, stack traces, silent drops

  @AfterAll
  void closeJvms() {
    System.out.println(
        "BadInputTest: " + tried.get() + " requests tried, " + crashes.get() + " crashes");
    jvms.close();
  }

  /** The whole table, four requests at a time (profile cases take 1 s each). */
  @EveryJdk
  void everyBadRequestGetsAClearAnswer(Jdk jdk) throws Exception {
    AgentJvm jvm = jvms.get(jdk);
    List<BadRequests.Case> cases = BadRequests.all();
    assertTrue(cases.size() >= 50, "only " + cases.size() + " cases");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<String> failures = new ArrayList<>();
    try {
      List<Future<String>> results = new ArrayList<>();
      for (BadRequests.Case c : cases) {
        results.add(pool.submit(() -> c.check(jvm.port(), TIMEOUT)));
      }
      for (Future<String> f : results) {
        String failure = f.get(60, TimeUnit.SECONDS);
        tried.incrementAndGet();
        if (failure != null) {
          failures.add(failure);
          if (failure.contains(" -> crash") || failure.contains("without an answer")) {
            crashes.incrementAndGet();
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(
        failures.isEmpty(),
        failures.size() + " of " + cases.size() + " cases failed:\n" + String.join("\n", failures));
    assertTrue(jvm.isAlive(), jvm::describe);
  }

  /** Pipelined requests are answered in order, also behind a slow profile and past the queue. */
  @EveryJdk
  void pipelinedRequestsAreAnsweredInOrder(Jdk jdk) {
    AgentJvm jvm = jvms.get(jdk);
    StringBuilder all = new StringBuilder(keepAlive("/debug/pprof/profile?seconds=1"));
    List<Integer> expected = new ArrayList<>(List.of(200));
    for (int i = 0; i < 24; i++) {
      boolean known = i % 3 != 1;
      all.append(keepAlive(known ? "/debug/pprof/cmdline" : "/debug/pprof/nope" + i));
      expected.add(known ? 200 : 404);
    }
    all.append(BadRequests.get("/debug/pprof/symbol"));
    expected.add(200);
    List<Http.Response> responses =
        Http.raw(jvm.port(), all.toString().getBytes(ISO_8859_1), expected.size(), TIMEOUT);
    tried.addAndGet(expected.size());
    List<Integer> statuses = new ArrayList<>();
    responses.forEach(r -> statuses.add(r.status()));
    assertEquals(expected, statuses, "statuses of the pipelined requests, in order");
    assertEquals("num_symbols: 1\n", responses.get(responses.size() - 1).text());
    for (int i = 1; i < expected.size() - 1; i += 3) {
      assertEquals("Unknown profile\n", responses.get(i + 1).text(), "response " + (i + 1));
    }
  }

  /**
   * Half a request, or none, then silence: the idle timeout closes the connection. So does a
   * request trickled a byte every 300 ms, which is never idle on the wire.
   */
  @EveryJdk
  void aStalledClientIsClosedByTheIdleTimeout(Jdk jdk) throws Exception {
    AgentJvm jvm = jvms.get(jdk);
    String[] halves = {
      "GET /debug/pprof/cmdline HTTP/1.1\r\nHost: 127",
      "GET /debug/pp",
      "POST /debug/pprof/symbol HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n0x1",
      "",
      TRICKLE + "GET /debug/pprof/cmdline HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "z".repeat(60),
    };
    List<Thread> threads = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (String half : halves) {
      Thread t =
          new Thread(
              () -> {
                String failure = closedWithin(jvm.port(), half, IDLE_SECONDS + 4);
                synchronized (failures) {
                  if (failure != null) {
                    failures.add(failure);
                  }
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(20_000);
    }
    tried.addAndGet(halves.length);
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    Http.Response after = Http.get(jvm.port(), "/debug/pprof/cmdline");
    assertEquals(200, after.status(), "still serving after the stalled clients");
  }

  /** Null when the server closes the connection within {@code seconds}, else what went wrong. */
  private static String closedWithin(int port, String half, int seconds) {
    long start = System.nanoTime();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(seconds * 1000);
      OutputStream out = s.getOutputStream();
      if (half.startsWith(TRICKLE)) {
        trickle(out, half.substring(TRICKLE.length()).getBytes(ISO_8859_1));
      } else {
        out.write(half.getBytes(ISO_8859_1));
        out.flush();
      }
      InputStream in = s.getInputStream();
      byte[] answer = in.readAllBytes(); // ends when the server closes; times out otherwise
      long ms = (System.nanoTime() - start) / 1_000_000;
      String text = new String(answer, ISO_8859_1);
      if (ms < IDLE_SECONDS * 1000L - 500) {
        return "[" + half + "] closed too early, after " + ms + " ms: " + text;
      }
      // Go closes a timed-out connection silently; a 408 would be fine too.
      if (!text.isEmpty() && !text.startsWith("HTTP/1.1 408 ")) {
        return "[" + half + "] answered: " + text;
      }
      return null;
    } catch (SocketException e) {
      return null; // reset by the server's close: closed all the same
    } catch (java.net.SocketTimeoutException e) {
      return "["
          + half
          + "] still open after "
          + seconds
          + " s (idleTimeout="
          + IDLE_SECONDS
          + "s)";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Marks a stalled request that is sent a byte every 300 ms rather than at once. */
  private static final String TRICKLE = "<trickle>";

  /**
   * Writes {@code bytes} one at a time, 300 ms apart, on a daemon thread, until the socket closes.
   */
  private static void trickle(OutputStream out, byte[] bytes) {
    Thread t =
        new Thread(
            () -> {
              try {
                for (byte b : bytes) {
                  out.write(b);
                  out.flush();
                  Thread.sleep(300); // the slow client's pace, not a wait
                }
              } catch (IOException | InterruptedException e) {
                // Closed by the server, as it should be.
              }
            },
            "trickle");
    t.setDaemon(true);
    t.start();
  }

  private static String keepAlive(String target) {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }
}
