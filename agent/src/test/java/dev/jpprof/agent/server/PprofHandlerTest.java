package dev.jpprof.agent.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.agent.Requests;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing, status codes and headers as Go's ServeMux + net/http/pprof, on an EmbeddedChannel. */
class PprofHandlerTest {
  private final List<Exchange> slow = new ArrayList<>();
  private Access access = Access.loopbackOnly();
  private InFlight inFlight = new InFlight(16);

  private EmbeddedChannel channel() {
    List<Route> rows =
        List.of(
            EndpointTable.cmdline(),
            EndpointTable.symbol(),
            EndpointTable.custom("slow", slow::add), // answers only when the test says so
            EndpointTable.vars(new OffLoop(Runnable::run)));
    return new EmbeddedChannel(
        new PprofHandler(
            new Routes(rows, () -> "test engine", Map.of("port", "0")), access, inFlight));
  }

  private static FullHttpRequest request(HttpMethod method, String uri, String body) {
    FullHttpRequest r =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, method, uri, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().set("Host", "127.0.0.1:6060");
    return r;
  }

  private static FullHttpResponse get(EmbeddedChannel ch, HttpMethod method, String uri) {
    ch.writeInbound(request(method, uri, ""));
    ch.runPendingTasks();
    return ch.readOutbound();
  }

  private static String body(FullHttpResponse r) {
    return r.content().toString(StandardCharsets.UTF_8);
  }

  @Test
  void redirectsTheRootWithoutSlashKeepingTheQuery() {
    FullHttpResponse r = get(channel(), HttpMethod.GET, "/debug/pprof?x=1");
    assertEquals(301, r.status().code());
    assertEquals("/debug/pprof/?x=1", r.headers().get("Location"));
    assertEquals("<a href=\"/debug/pprof/?x=1\">Moved Permanently</a>.\n\n", body(r));
  }

  @Test
  void badEscapeIsGoServers400AndCloses() {
    EmbeddedChannel ch = channel();
    FullHttpResponse r = get(ch, HttpMethod.GET, "/debug/pprof/%zz");
    assertEquals(400, r.status().code());
    assertEquals("400 Bad Request", body(r));
    assertEquals("text/plain; charset=utf-8", r.headers().get("Content-Type"));
    ch.runPendingTasks();
    assertTrue(!ch.isOpen(), "connection closed after a 400");
  }

  @Test
  void unknownProfileIsGoServeError() {
    FullHttpResponse r = get(channel(), HttpMethod.GET, "/debug/pprof/nope");
    assertEquals(404, r.status().code());
    assertEquals("Unknown profile\n", body(r));
    assertEquals("1", r.headers().get("X-Go-Pprof"));
    assertEquals("nosniff", r.headers().get("X-Content-Type-Options"));
    assertEquals("text/plain; charset=utf-8", r.headers().get("Content-Type"));
    assertNull(r.headers().get("Content-Disposition"));
  }

  @Test
  void nestedNameIsUnknownNotAPath() {
    assertEquals(404, get(channel(), HttpMethod.GET, "/debug/pprof/cmdline/x").status().code());
  }

  @Test
  void outsideTheTreeIsTheMuxNotFound() {
    FullHttpResponse r = get(channel(), HttpMethod.GET, "/healthz");
    assertEquals(404, r.status().code());
    assertEquals("404 page not found\n", body(r));
    assertNull(r.headers().get("X-Go-Pprof"));
  }

  /**
   * Every response is counted once, under its row's path (the index's for any name under
   * /debug/pprof/, "other" for what no row answers), with the body bytes sent: none for HEAD.
   */
  @Test
  void countsResponsesByEndpointStatusAndBytes() {
    Map<Requests.Key, long[]> before = Requests.snapshot();
    EmbeddedChannel ch = channel();
    int cmdline = get(ch, HttpMethod.GET, "/debug/pprof/cmdline").content().readableBytes();
    get(ch, HttpMethod.HEAD, "/debug/pprof/cmdline");
    get(ch, HttpMethod.GET, "/debug/pprof/nope");
    get(ch, HttpMethod.GET, "/healthz");
    get(ch, HttpMethod.PUT, "/debug/pprof/cmdline");
    Map<Requests.Key, long[]> after = Requests.snapshot();

    assertTrue(cmdline > 0);
    assertEquals(List.of(2L, (long) cmdline), grew(before, after, "/debug/pprof/cmdline", 200));
    assertEquals(List.of(1L, 16L), grew(before, after, "/debug/pprof/", 404)); // Unknown profile
    assertEquals(List.of(1L, 19L), grew(before, after, Requests.OTHER, 404));
    assertEquals(1L, grew(before, after, "/debug/pprof/cmdline", 405).get(0));
  }

  /** How much one (endpoint, status) grew: {responses, bytes}. */
  private static List<Long> grew(
      Map<Requests.Key, long[]> before, Map<Requests.Key, long[]> after, String path, int status) {
    long[] none = {0, 0};
    long[] a = find(after, path, status, none);
    long[] b = find(before, path, status, none);
    return List.of(a[0] - b[0], a[1] - b[1]);
  }

  private static long[] find(Map<Requests.Key, long[]> m, String path, int status, long[] none) {
    for (Map.Entry<Requests.Key, long[]> e : m.entrySet()) {
      if (e.getKey().endpoint.equals(path) && e.getKey().status == status) {
        return e.getValue();
      }
    }
    return none;
  }

  @Test
  void uncleanPathsRedirectToTheCleanOne() {
    FullHttpResponse r = get(channel(), HttpMethod.GET, "/debug/pprof/../pprof/./cmdline");
    assertEquals(301, r.status().code());
    assertEquals("/debug/pprof/cmdline", r.headers().get("Location"));
  }

  @Test
  void otherMethodsGet405WithAllow() {
    for (HttpMethod m :
        List.of(HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.POST, HttpMethod.PATCH)) {
      FullHttpResponse r = get(channel(), m, "/debug/pprof/cmdline");
      assertEquals(405, r.status().code(), m.name());
      assertEquals("GET, HEAD", r.headers().get("Allow"));
      assertEquals("Method Not Allowed\n", body(r));
    }
  }

  @Test
  void symbolAcceptsPost() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(request(HttpMethod.POST, "/debug/pprof/symbol", "0x1+0x2"));
    FullHttpResponse r = ch.readOutbound();
    assertEquals(200, r.status().code());
    assertEquals("num_symbols: 1\n", body(r));
  }

  @Test
  void headKeepsHeadersWithoutBody() {
    FullHttpResponse r = get(channel(), HttpMethod.HEAD, "/debug/pprof/symbol");
    assertEquals(200, r.status().code());
    assertEquals(0, r.content().readableBytes());
    assertEquals("15", r.headers().get("Content-Length"));
  }

  @Test
  void indexListsTheTableAndTheEngine() {
    FullHttpResponse r = get(channel(), HttpMethod.GET, "/debug/pprof/");
    assertEquals(200, r.status().code());
    assertEquals("text/html; charset=utf-8", r.headers().get("Content-Type"));
    String html = body(r);
    assertTrue(
        html.contains("<tr><td>0</td><td><a href='cmdline?debug=1'>cmdline</a></td></tr>\n"), html);
    assertTrue(html.contains("jpprof CPU engine: test engine<br>"), html);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(request(HttpMethod.GET, "/debug/pprof/slow", ""));
    ch.writeInbound(request(HttpMethod.GET, "/debug/pprof/symbol", ""));
    assertNull(ch.readOutbound(), "nothing may be written before the first request is answered");
    assertEquals(1, slow.size());
    slow.get(0).respond(Responses.ok(Responses.TEXT, Responses.utf8("first\n")));
    ch.runPendingTasks();
    FullHttpResponse first = ch.readOutbound();
    FullHttpResponse second = ch.readOutbound();
    assertEquals("first\n", body(first));
    assertEquals("num_symbols: 1\n", body(second));
  }

  @Test
  void aSecondAnswerIsDropped() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(request(HttpMethod.GET, "/debug/pprof/slow", ""));
    slow.get(0).respond(Responses.ok(Responses.TEXT, Responses.utf8("one\n")));
    slow.get(0).respond(Responses.ok(Responses.TEXT, Responses.utf8("two\n")));
    ch.runPendingTasks();
    assertEquals("one\n", body(ch.readOutbound()));
    assertNull(ch.readOutbound());
  }

  @Test
  void varsIsExpvarsJsonForAnyMethod() {
    for (HttpMethod m : List.of(HttpMethod.GET, HttpMethod.POST)) {
      FullHttpResponse r = get(channel(), m, "/debug/vars");
      assertEquals(200, r.status().code(), m.name());
      assertEquals("application/json; charset=utf-8", r.headers().get("Content-Type"));
      assertNull(r.headers().get("X-Content-Type-Options"), "expvar sets no nosniff");
      assertTrue(body(r).startsWith("{\n\"cmdline\": ["), body(r));
    }
    assertEquals(404, get(channel(), HttpMethod.GET, "/debug/vars/x").status().code());
  }
}
