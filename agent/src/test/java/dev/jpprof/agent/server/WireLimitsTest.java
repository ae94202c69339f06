package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline (PprofInitializer) fed raw bytes: access rules, size limits, the in-flight
 * limit and the idle timeout, each as a client on the wire sees it.
 */
class WireLimitsTest {
  private final List<Exchange> slow = new ArrayList<>();
  private final InFlight inFlight = new InFlight(2);

  private EmbeddedChannel channel(Access access) {
    List<Route> rows =
        List.of(
            EndpointTable.symbol(),
            EndpointTable.custom("slow", slow::add),
            EndpointTable.custom(
                "echo",
                ex ->
                    ex.respond(
                        Responses.ok(
                            Responses.TEXT, Responses.utf8("[" + ex.param("seconds") + "]")))));
    Routes routes = new Routes(rows, () -> "e", Map.of());
    return new EmbeddedChannel(
        new PprofInitializer(routes, access, inFlight, TimeUnit.SECONDS.toNanos(60)));
  }

  /** A connection from loopback with this idle timeout. */
  private EmbeddedChannel loopback(Routes routes, long idleNanos) {
    return new EmbeddedChannel(
        new PprofInitializer(routes, Access.loopbackOnly(), inFlight, idleNanos));
  }

  private static String exchange(EmbeddedChannel ch, String raw) {
    ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    ch.runPendingTasks();
    StringBuilder out = new StringBuilder();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      out.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return out.toString();
  }

  private static String get(String target, String... headers) {
    return "GET " + target + " HTTP/1.1\r\n" + String.join("", headers) + "\r\n";
  }

  @Test
  void foreignHostIsForbidden() {
    String r =
        exchange(
            channel(Access.loopbackOnly()), get("/debug/pprof/symbol", "Host: evil.example\r\n"));
    assertTrue(r.startsWith("HTTP/1.1 403 Forbidden\r\n"), r);
    assertTrue(r.contains("X-Go-Pprof: 1"), r);
    for (String host : new String[] {"localhost:6060", "127.0.0.1", "[::1]:6060", "LOCALHOST"}) {
      String ok =
          exchange(
              channel(Access.loopbackOnly()), get("/debug/pprof/symbol", "Host: " + host + "\r\n"));
      assertTrue(ok.startsWith("HTTP/1.1 200 OK\r\n"), host + ": " + ok);
    }
  }

  @Test
  void http11WithoutHostIsGos400() {
    String r = exchange(channel(Access.loopbackOnly()), get("/debug/pprof/symbol"));
    assertTrue(r.startsWith("HTTP/1.1 400 Bad Request\r\n"), r);
    assertTrue(r.endsWith("\r\n\r\n400 Bad Request: missing required Host header"), r);
    String old =
        exchange(channel(Access.loopbackOnly()), "GET /debug/pprof/symbol HTTP/1.0\r\n\r\n");
    assertTrue(old.startsWith("HTTP/1.1 200 OK\r\n"), "HTTP/1.0 needs no Host: " + old);
  }

  @Test
  void tokenIsRequiredWhenConfigured() {
    Access access = new Access("s3cret", false);
    String none = exchange(channel(access), get("/debug/pprof/symbol", "Host: pod:6060\r\n"));
    assertTrue(none.startsWith("HTTP/1.1 401 Unauthorized\r\n"), none);
    assertTrue(none.contains("WWW-Authenticate: Bearer realm=\"jpprof\""), none);
    assertFalse(none.contains("num_symbols"), none);
    String wrong =
        exchange(
            channel(access),
            get("/debug/pprof/symbol", "Host: pod\r\n", "Authorization: Bearer s3cre\r\n"));
    assertTrue(wrong.startsWith("HTTP/1.1 401"), wrong);
    String right =
        exchange(
            channel(access),
            get("/debug/pprof/symbol", "Host: pod\r\n", "Authorization: Bearer s3cret\r\n"));
    assertTrue(right.startsWith("HTTP/1.1 200 OK\r\n"), right);
  }

  @Test
  void longRequestLineIs414AndHugeHeadersAre431() {
    String longTarget = "/debug/pprof/symbol?" + "x".repeat(PprofInitializer.MAX_LINE);
    String r = exchange(channel(Access.loopbackOnly()), get(longTarget, "Host: localhost\r\n"));
    assertTrue(r.startsWith("HTTP/1.1 414 Request-URI Too Long\r\n"), r);
    String big = "X-Big: " + "y".repeat(PprofInitializer.MAX_HEADERS) + "\r\n";
    String h =
        exchange(
            channel(Access.loopbackOnly()), get("/debug/pprof/symbol", "Host: localhost\r\n", big));
    assertTrue(h.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), h);
  }

  @Test
  void bigBodyIs413() {
    String body = "1+".repeat(PprofInitializer.MAX_BODY);
    String r =
        exchange(
            channel(Access.loopbackOnly()),
            "POST /debug/pprof/symbol HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Length: "
                + body.length()
                + "\r\n\r\n"
                + body);
    assertTrue(r.startsWith("HTTP/1.1 413 Request Entity Too Large\r\n"), r);
  }

  @Test
  void requestsBeyondTheLimitGet503AndSlotsComeBack() {
    EmbeddedChannel a = channel(Access.loopbackOnly());
    EmbeddedChannel b = channel(Access.loopbackOnly());
    assertEquals("", exchange(a, get("/debug/pprof/slow", "Host: localhost\r\n")));
    assertEquals("", exchange(b, get("/debug/pprof/slow", "Host: localhost\r\n")));
    String third =
        exchange(channel(Access.loopbackOnly()), get("/debug/pprof/symbol", "Host: localhost\r\n"));
    assertTrue(third.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), third);
    slow.get(0).respond(Responses.ok(Responses.TEXT, Responses.utf8("done\n")));
    a.runPendingTasks();
    b.close(); // a client that leaves frees its slot too
    assertEquals(0, inFlight.current());
    String fourth =
        exchange(channel(Access.loopbackOnly()), get("/debug/pprof/symbol", "Host: localhost\r\n"));
    assertTrue(fourth.startsWith("HTTP/1.1 200 OK\r\n"), fourth);
  }

  @Test
  void idleConnectionsCloseButNotDuringAProfile() throws Exception {
    Routes routes =
        new Routes(List.of(EndpointTable.custom("slow", slow::add)), () -> "e", Map.of());
    EmbeddedChannel idle = loopback(routes, TimeUnit.MILLISECONDS.toNanos(50));
    EmbeddedChannel waiting = loopback(routes, TimeUnit.MILLISECONDS.toNanos(50));
    exchange(waiting, get("/debug/pprof/slow", "Host: localhost\r\n"));
    // Not a wait for an event: the time that passes is what is tested (over the 50 ms idle
    // timeout; IdleStateHandler reads the real clock).
    Thread.sleep(120);
    idle.runPendingTasks();
    waiting.runPendingTasks();
    assertFalse(idle.isOpen(), "an idle connection is closed");
    assertTrue(waiting.isOpen(), "a connection waiting for its profile stays open");
  }

  /**
   * Go's ParseQuery skips a pair it cannot decode and keeps the rest (was: 500 with Netty's
   * message).
   */
  @Test
  void aBadEscapeInTheQuerySkipsOnlyThatPair() {
    String[][] cases = {
      {"seconds=%zz", "[]"},
      {"%zz&seconds=5", "[5]"},
      {"seconds=%zz&seconds=7", "[7]"},
      {"seconds=1;x=2&seconds=3", "[3]"},
      {"seconds=%2B4", "[+4]"},
      {"seconds", "[]"},
    };
    for (String[] c : cases) {
      String r =
          exchange(
              channel(Access.loopbackOnly()),
              get("/debug/pprof/echo?" + c[0], "Host: localhost\r\n"));
      assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), c[0] + ": " + r);
      assertTrue(r.endsWith("\r\n\r\n" + c[1]), c[0] + ": " + r);
    }
  }

  /** Absolute-form targets are routed as Go routes them, and their host is the one checked. */
  @Test
  void absoluteFormIsRoutedAndItsHostGuarded() {
    String ok =
        exchange(
            channel(Access.loopbackOnly()),
            get("http://127.0.0.1:6060/debug/pprof/symbol", "Host: 127.0.0.1\r\n"));
    assertTrue(ok.startsWith("HTTP/1.1 200 OK\r\n"), "was a 301 to /http:/...: " + ok);
    assertTrue(ok.endsWith("num_symbols: 1\n"), ok);
    String evil =
        exchange(
            channel(Access.loopbackOnly()),
            get("http://evil.example/debug/pprof/symbol", "Host: 127.0.0.1\r\n"));
    assertTrue(evil.startsWith("HTTP/1.1 403 Forbidden\r\n"), evil);
  }

  @Test
  void targetsThatAreNotPathsAre400() {
    for (String line :
        new String[] {
          "GET * HTTP/1.1", "CONNECT 127.0.0.1:6060 HTTP/1.1", "GET http:// HTTP/1.1"
        }) {
      String r = exchange(channel(Access.loopbackOnly()), line + "\r\nHost: localhost\r\n\r\n");
      assertTrue(r.startsWith("HTTP/1.1 400 Bad Request\r\n"), line + ": " + r);
    }
  }

  @Test
  void twoHostHeadersAre400() {
    String r =
        exchange(
            channel(Access.loopbackOnly()),
            get("/debug/pprof/symbol", "Host: 127.0.0.1\r\n", "Host: evil.example\r\n"));
    assertTrue(r.startsWith("HTTP/1.1 400 Bad Request\r\n"), r);
    assertTrue(r.endsWith("400 Bad Request: too many Host headers"), r);
  }

  @Test
  void http2RequestLineIs505() {
    String r =
        exchange(
            channel(Access.loopbackOnly()),
            "GET /debug/pprof/symbol HTTP/2.0\r\nHost: localhost\r\n\r\n");
    assertTrue(r.startsWith("HTTP/1.1 505 HTTP Version Not Supported\r\n"), r);
    assertTrue(r.endsWith("505 HTTP Version Not Supported: unsupported protocol version"), r);
  }

  /** Twenty requests pipelined behind a slow one are all answered, in order (was: closed at 17). */
  @Test
  void aLongPipelineBehindASlowRequestIsAnsweredInOrder() {
    EmbeddedChannel ch = channel(Access.loopbackOnly());
    StringBuilder all = new StringBuilder(get("/debug/pprof/slow", "Host: localhost\r\n"));
    for (int i = 0; i < 20; i++) {
      all.append(
          get(i % 2 == 0 ? "/debug/pprof/symbol" : "/debug/pprof/nope", "Host: localhost\r\n"));
    }
    assertEquals("", exchange(ch, all.toString()));
    assertTrue(ch.isOpen(), "the connection stays open while the slow request runs");
    slow.get(0).respond(Responses.ok(Responses.TEXT, Responses.utf8("done\n")));
    ch.runPendingTasks();
    String out = exchange(ch, "");
    List<String> statuses = new ArrayList<>();
    for (String part : out.split("HTTP/1.1 ")) {
      if (!part.isEmpty()) {
        statuses.add(part.substring(0, 3));
      }
    }
    assertEquals(21, statuses.size(), out);
    assertEquals("200", statuses.get(0));
    for (int i = 1; i <= 20; i++) {
      assertEquals(i % 2 == 1 ? "200" : "404", statuses.get(i), "response " + i);
    }
    assertTrue(ch.config().isAutoRead(), "reading resumed once the queue drained");
  }

  /** A request trickled a byte at a time is closed by the idle timeout (each byte reset it). */
  @Test
  void aTrickledRequestIsClosedByTheIdleTimeout() throws Exception {
    EmbeddedChannel ch =
        loopback(new Routes(List.of(), () -> "e", Map.of()), TimeUnit.MILLISECONDS.toNanos(100));
    String request = get("/debug/pprof/symbol", "Host: localhost\r\n");
    long start = System.nanoTime();
    for (int i = 0; i < request.length() - 1 && ch.isOpen(); i++) {
      exchange(ch, request.substring(i, i + 1));
      Thread.sleep(20); // the trickle's pace, not a wait
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertFalse(ch.isOpen(), "still open after " + ms + " ms of trickling (idle timeout 100 ms)");
    assertTrue(ms < 1000, "closed only after " + ms + " ms");
  }

  /** trace takes maxSeconds like profile (it ignored it: seconds=1e9 held a recording open). */
  @Test
  void traceOverMaxSecondsIs400() {
    List<Runnable> started = new ArrayList<>();
    Routes routes =
        new Routes(
            List.of(EndpointTable.trace(new OffLoop(started::add), 10)), () -> "e", Map.of());
    for (String s : new String[] {"10.5", "1e9", "11"}) {
      EmbeddedChannel ch = loopback(routes, TimeUnit.SECONDS.toNanos(60));
      String r = exchange(ch, get("/debug/pprof/trace?seconds=" + s, "Host: localhost\r\n"));
      assertTrue(r.startsWith("HTTP/1.1 400 Bad Request\r\n"), s + ": " + r);
      assertTrue(r.endsWith("\"seconds\" must not exceed 10 (the agent's maxSeconds)\n"), r);
    }
    EmbeddedChannel ok = loopback(routes, TimeUnit.SECONDS.toNanos(60));
    exchange(ok, get("/debug/pprof/trace?seconds=10", "Host: localhost\r\n"));
    assertEquals(1, started.size(), "10 s is within the limit: a recording starts");
  }
}
