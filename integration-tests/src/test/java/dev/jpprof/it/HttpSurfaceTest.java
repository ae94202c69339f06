package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every non-profile response of the agent, against Go's net/http/pprof byte for byte where the spec
 * (docs/protocol.md §1–§3) fixes the bytes: one child JVM per JDK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpSurfaceTest {
  private static final String TEXT = "text/plain; charset=utf-8";

  /** Go's descriptions (docs/protocol.md §1, §9), before HTML escaping. */
  private static final Map<String, String> GO_DESCRIPTIONS = new LinkedHashMap<>();

  static {
    GO_DESCRIPTIONS.put("allocs", "A sampling of all past memory allocations");
    GO_DESCRIPTIONS.put("block", "Stack traces that led to blocking on synchronization primitives");
    GO_DESCRIPTIONS.put("cmdline", "The command line invocation of the current program");
    GO_DESCRIPTIONS.put(
        "goroutine",
        "Stack traces of all current goroutines. Use debug=2 as a query parameter to export in"
            + " the same format as an unrecovered panic.");
    GO_DESCRIPTIONS.put(
        "heap",
        "A sampling of memory allocations of live objects. You can specify the gc GET parameter"
            + " to run GC before taking the heap sample.");
    GO_DESCRIPTIONS.put("mutex", "Stack traces of holders of contended mutexes");
    GO_DESCRIPTIONS.put(
        "profile",
        "CPU profile. You can specify the duration in the seconds GET parameter. After you get"
            + " the profile file, use the go tool pprof command to investigate the profile.");
    GO_DESCRIPTIONS.put(
        "symbol",
        "Maps given program counters to function names. Counters can be specified in a GET raw"
            + " query or POST body, multiple counters are separated by '+'.");
    GO_DESCRIPTIONS.put("threadcreate", "Stack traces that led to the creation of new OS threads");
    GO_DESCRIPTIONS.put(
        "trace",
        "A trace of execution of the current program. You can specify the duration in the"
            + " seconds GET parameter. After you get the trace file, use the go tool trace"
            + " command to investigate the trace.");
  }

  /**
   * Go's rows, and ours: {@code wall}, fgprof's handler (Alloy's fgprof target), which the issue
   * asks to list with a description of our own.
   */
  private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>(GO_DESCRIPTIONS);

  static {
    DESCRIPTIONS.put(
        "wall",
        "Wall-clock profile of every thread, on and off CPU, as Go's fgprof (also served at"
            + " /debug/fgprof, where Grafana Alloy's fgprof target asks). You can specify the"
            + " duration in the seconds GET parameter.");
  }

  private static final String INDEX_HEAD =
      "<html>\n<head>\n<title>/debug/pprof/</title>\n<style>\n.profile-name{\n"
          + "\tdisplay:inline-block;\n\twidth:6rem;\n}\n</style>\n</head>\n<body>\n"
          + "/debug/pprof/\n<br>\n"
          + "<p>Set debug=1 as a query parameter to export in legacy text format</p>\n<br>\n"
          + "Types of profiles available:\n<table>\n"
          + "<thead><td>Count</td><td>Profile</td></thead>\n";
  private static final String INDEX_MIDDLE =
      "</table>\n<a href=\"goroutine?debug=2\">full goroutine stack dump</a>\n<br>\n<p>\n"
          + "Profile Descriptions:\n<ul>\n";
  private static final String INDEX_LIST_END = "</ul>\n</p>\n";
  private static final Pattern ROW =
      Pattern.compile(
          "<tr><td>(\\d+)</td><td><a href='([^'<>]*)\\?debug=1'>([^<]*)</a></td></tr>\n");

  private final DemoJvms jvms = new DemoJvms();

  private AgentJvm jvm(Jdk jdk) {
    return jvms.get(jdk);
  }

  @AfterAll
  void closeJvms() {
    jvms.close();
  }

  private static String html(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&#39;")
        .replace("\"", "&#34;");
  }

  private static void assertNoCachingHeaders(Http.Response r) {
    for (String h : Arrays.asList("Cache-Control", "ETag", "Last-Modified", "Content-Encoding")) {
      assertNull(r.header(h), h + " is never sent: " + r);
    }
  }

  @EveryJdk
  @Order(1)
  void indexIsGosPagePlusAnEngineParagraph(Jdk jdk) {
    AgentJvm jvm = jvm(jdk);
    Http.Response r = Http.get(jvm.port(), "/debug/pprof/");
    assertEquals("HTTP/1.1 200 OK", r.statusLine(), r::text);
    assertEquals("text/html; charset=utf-8", r.header("Content-Type"));
    assertEquals("nosniff", r.header("X-Content-Type-Options"));
    assertNull(r.header("X-Go-Pprof"), "X-Go-Pprof is only for errors");
    assertNoCachingHeaders(r);

    String body = r.text();
    int listEnd = body.indexOf(INDEX_LIST_END);
    assertTrue(listEnd > 0, "no \"</ul>\\n</p>\\n\" in the index:\n" + body);
    String goPart = body.substring(0, listEnd + INDEX_LIST_END.length());
    String rest = body.substring(goPart.length());

    // The rows, as listed; Go's page is then rebuilt from them and compared byte for byte.
    Map<String, Long> rows = new LinkedHashMap<>();
    Matcher m = ROW.matcher(goPart);
    int from = goPart.indexOf("</thead>\n");
    assertTrue(from > 0, "no table head:\n" + body);
    for (int at = from + "</thead>\n".length(); m.find(at) && m.start() == at; at = m.end()) {
      assertEquals(m.group(2), m.group(3), "href and name differ in " + m.group());
      rows.put(m.group(3), Long.parseLong(m.group(1)));
    }
    StringBuilder expected = new StringBuilder(INDEX_HEAD);
    rows.forEach(
        (name, count) ->
            expected
                .append("<tr><td>")
                .append(count)
                .append("</td><td><a href='")
                .append(html(name))
                .append("?debug=1'>")
                .append(html(name))
                .append("</a></td></tr>\n"));
    expected.append(INDEX_MIDDLE);
    for (String name : rows.keySet()) {
      expected
          .append("<li><div class=profile-name>")
          .append(html(name))
          .append(": </div> ")
          .append(html(DESCRIPTIONS.getOrDefault(name, "")))
          .append("</li>\n");
    }
    expected.append(INDEX_LIST_END);
    assertEquals(expected.toString(), goPart, "Go's part of the index page");

    List<String> names = new ArrayList<>(rows.keySet());
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null);
    assertAll(
        () -> assertEquals(sorted, names, "rows are sorted by name"),
        () -> assertEquals(0L, rows.get("cmdline"), "cmdline row: " + rows),
        () -> assertEquals(0L, rows.get("profile"), "profile row: " + rows),
        () -> assertEquals(0L, rows.get("symbol"), "symbol row: " + rows),
        () ->
            assertTrue(
                DESCRIPTIONS.keySet().containsAll(names),
                "rows neither Go's pprof nor fgprof has: " + names));

    // The agent's own paragraph, loosely: one <p> about the CPU engine, then Go's end. Before the
    // first profile no engine has started; CpuProfileTest checks the name once one has.
    assertTrue(
        rest.matches("(?s)<p>.*</p>\n</body>\n</html>"),
        "after Go's list: one <p>…</p> then \"</body>\\n</html>\" with no newline after it: "
            + rest);
    assertTrue(
        rest.matches("(?is)<p>[^<]*cpu engine.*"),
        "the extra paragraph is not about the CPU engine: " + rest);
  }

  /** Every profile the index lists answers (profile, trace and wall are left out: they block). */
  @EveryJdk
  @Order(2)
  void everyListedProfileIsServed(Jdk jdk) {
    AgentJvm jvm = jvm(jdk);
    Matcher m = ROW.matcher(Http.get(jvm.port(), "/debug/pprof/").text());
    int listed = 0;
    while (m.find()) {
      String name = m.group(3);
      listed++;
      if (name.equals("profile") || name.equals("trace") || name.equals("wall")) {
        continue;
      }
      Http.Response r = Http.get(jvm.port(), "/debug/pprof/" + name + "?debug=1");
      assertEquals(200, r.status(), name + ": " + r + " " + r.text());
    }
    assertTrue(listed >= 3, "index lists " + listed + " profiles");
  }

  @EveryJdk
  @Order(3)
  void slashlessPathRedirects(Jdk jdk) {
    Http.Response r = Http.get(jvm(jdk).port(), "/debug/pprof");
    assertEquals("HTTP/1.1 301 Moved Permanently", r.statusLine(), r::toString);
    assertEquals("/debug/pprof/", r.header("Location"));
  }

  @EveryJdk
  @Order(4)
  void cmdlineIsArgvJoinedByNul(Jdk jdk) {
    AgentJvm jvm = jvm(jdk);
    byte[] expected = String.join("\0", jvm.command()).getBytes(UTF_8);
    for (String target : Arrays.asList("/debug/pprof/cmdline", "/debug/pprof/cmdline?debug=1")) {
      Http.Response r = Http.get(jvm.port(), target);
      assertEquals("HTTP/1.1 200 OK", r.statusLine(), target);
      assertEquals(TEXT, r.header("Content-Type"), target);
      assertEquals("nosniff", r.header("X-Content-Type-Options"), target);
      assertNull(r.header("X-Go-Pprof"), target);
      assertNoCachingHeaders(r);
      assertEquals(
          new String(expected, UTF_8).replace('\0', '|'),
          r.text().replace('\0', '|'),
          target + " (NUL shown as |)");
      assertArrayEquals(expected, r.body(), target);
    }
  }

  Stream<Arguments> symbolRequests() {
    List<Arguments> args = new ArrayList<>();
    for (Jdk jdk : Jdk.all()) {
      args.add(Arguments.of(jdk, "GET", "/debug/pprof/symbol", null));
      args.add(Arguments.of(jdk, "GET", "/debug/pprof/symbol?0x1+0x2", null));
      args.add(Arguments.of(jdk, "POST", "/debug/pprof/symbol", "0x1+0x2"));
      args.add(Arguments.of(jdk, "POST", "/debug/pprof/symbol", ""));
    }
    return args.stream();
  }

  /** Java has no program counters: the answer is always just the symbol count line. */
  @ParameterizedTest(name = "{0} {1} {2} body={3}")
  @MethodSource("symbolRequests")
  @Order(5)
  void symbolAnswersNumSymbolsOnly(Jdk jdk, String method, String target, String body) {
    Http.Response r =
        Http.request(
            jvm(jdk).port(),
            method,
            target,
            body == null ? null : body.getBytes(UTF_8),
            Duration.ofSeconds(20));
    assertEquals("HTTP/1.1 200 OK", r.statusLine(), r::text);
    assertEquals(TEXT, r.header("Content-Type"));
    assertEquals("nosniff", r.header("X-Content-Type-Options"));
    assertNull(r.header("X-Go-Pprof"));
    assertEquals("num_symbols: 1\n", r.text());
  }

  Stream<Arguments> unknownProfiles() {
    List<Arguments> args = new ArrayList<>();
    for (Jdk jdk : Jdk.all()) {
      for (String name : Arrays.asList("foo", "heap/x", "cmdline/x", "symbol/x", "Profile")) {
        args.add(Arguments.of(jdk, name));
      }
    }
    return args.stream();
  }

  /** Anything under /debug/pprof/ that is not a profile: Go's serveError 404. */
  @ParameterizedTest(name = "{0} /debug/pprof/{1}")
  @MethodSource("unknownProfiles")
  @Order(6)
  void unknownProfileIs404(Jdk jdk, String name) {
    Http.Response r = Http.get(jvm(jdk).port(), "/debug/pprof/" + name);
    assertEquals("HTTP/1.1 404 Not Found", r.statusLine(), r::text);
    assertEquals("1", r.header("X-Go-Pprof"));
    assertEquals(TEXT, r.header("Content-Type"));
    assertEquals("nosniff", r.header("X-Content-Type-Options"));
    assertNull(r.header("Content-Disposition"));
    assertEquals("Unknown profile\n", r.text());
  }

  Stream<Arguments> malformedTargets() {
    List<Arguments> args = new ArrayList<>();
    for (Jdk jdk : Jdk.all()) {
      for (String target : Arrays.asList("/debug/pprof/%zz", "/debug/pprof/%", "/debug/pprof/%6")) {
        args.add(Arguments.of(jdk, target));
      }
    }
    return args.stream();
  }

  /**
   * A request target Go cannot parse (a bad %-escape) gets net/http's {@code 400 Bad Request},
   * never a dropped connection: bad input gets a clear 4xx. (Checked against a Go 1.19
   * net/http/pprof server: body {@code 400 Bad Request}, no newline.)
   */
  @ParameterizedTest(name = "{0} GET {1}")
  @MethodSource("malformedTargets")
  @Order(7)
  void malformedTargetIs400(Jdk jdk, String target) {
    Http.Response r = Http.get(jvm(jdk).port(), target);
    assertEquals("HTTP/1.1 400 Bad Request", r.statusLine(), r::text);
    assertEquals(TEXT, r.header("Content-Type"));
    assertEquals("400 Bad Request", r.text());
  }

  Stream<Arguments> disallowedMethods() {
    List<Arguments> args = new ArrayList<>();
    for (Jdk jdk : Jdk.all()) {
      for (String method : Arrays.asList("PUT", "DELETE", "POST", "PATCH")) {
        // seconds=1: should a bad agent accept the method, the request still ends soon.
        for (String target :
            Arrays.asList(
                "/debug/pprof/",
                "/debug/pprof/cmdline",
                "/debug/pprof/profile?seconds=1",
                "/debug/pprof/foo")) {
          args.add(Arguments.of(jdk, method, target));
        }
      }
      args.add(Arguments.of(jdk, "PUT", "/debug/pprof/symbol"));
      args.add(Arguments.of(jdk, "DELETE", "/debug/pprof/symbol"));
    }
    return args.stream();
  }

  /** Go ≥ 1.23's mux: only GET and HEAD (and, by our choice, POST on symbol) reach handlers. */
  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("disallowedMethods")
  @Order(7)
  void otherMethodsAre405(Jdk jdk, String method, String target) {
    byte[] body = method.equals("DELETE") ? null : new byte[0];
    Http.Response r = Http.request(jvm(jdk).port(), method, target, body, Duration.ofSeconds(20));
    assertEquals("HTTP/1.1 405 Method Not Allowed", r.statusLine(), r::text);
    assertEquals("GET, HEAD", r.header("Allow"));
    assertEquals(TEXT, r.header("Content-Type"));
    assertEquals("nosniff", r.header("X-Content-Type-Options"));
    // Go's mux answers with http.Error, which sets no X-Go-Pprof.
    assertNull(r.header("X-Go-Pprof"));
    assertEquals("Method Not Allowed\n", r.text());
  }

  /** HEAD is allowed wherever GET is, and sends no body. */
  @EveryJdk
  @Order(8)
  void headIsAllowed(Jdk jdk) {
    AgentJvm jvm = jvm(jdk);
    for (String target : Arrays.asList("/debug/pprof/", "/debug/pprof/cmdline")) {
      Http.Response get = Http.get(jvm.port(), target);
      Http.Response head = Http.request(jvm.port(), "HEAD", target, null, Duration.ofSeconds(20));
      assertEquals("HTTP/1.1 200 OK", head.statusLine(), target);
      assertEquals(get.header("Content-Type"), head.header("Content-Type"), target);
      assertNotEquals(0, get.body().length, target);
      assertEquals(0, head.body().length, target + ": HEAD sent a body");
    }
  }

  /** Last: after all of the above, the child has printed nothing but the serving line. */
  @EveryJdk
  @Order(100)
  void childOutputStaysClean(Jdk jdk) {
    AgentJvm jvm = jvm(jdk);
    assertTrue(jvm.isAlive(), "the child died: " + jvm.describe());
    assertEquals("", new String(jvm.stdout(), UTF_8), "child stdout");
    List<String> stderr = jvm.stderrLines();
    assertEquals(1, stderr.size(), "child stderr must be the serving line only: " + stderr);
    assertTrue(AgentJvm.SERVING.matcher(stderr.get(0)).matches(), stderr.get(0));
  }
}
