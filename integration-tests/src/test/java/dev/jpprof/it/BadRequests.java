package dev.jpprof.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The table of {@link BadInputTest}: raw requests with the statuses Go's net/http/pprof gives them
 * (docs/protocol.md §1–§3), and Go's exact body where it defines one. Where Go's answer depends on
 * its version or is not pinned down, a case allows each clear 4xx it may be. Written for a server
 * with {@code maxSeconds=1}: a profile Go would take for 30 s takes 1 s.
 */
final class BadRequests {
  static final String UNKNOWN = "Unknown profile\n";
  static final String NOT_FOUND = "404 page not found\n";
  static final String NOT_ALLOWED = "Method Not Allowed\n";
  static final String BAD = "400 Bad Request";
  static final String INVALID = "invalid value for \"seconds\" - must be a positive integer\n";
  static final String OVER = "\"seconds\" must not exceed 1 (the agent's maxSeconds)\n";

  private BadRequests() {}

  /** One request: raw bytes ({port} is replaced), the statuses allowed, Go's body or null. */
  static final class Case {
    final String raw;
    final Set<Integer> statuses;
    final String body;

    Case(String raw, String body, Integer... statuses) {
      this.raw = raw;
      this.body = body;
      this.statuses = new TreeSet<>(Arrays.asList(statuses));
    }

    /**
     * The text without the frame, file and "created by" lines of a goroutine?debug=2 dump: a thread
     * may be running, say, DirectCodeBuilder.writeExceptionHandlers, which is data.
     */
    private static String withoutGoroutineFrames(String text) {
      return text.replaceAll("(?m)^(\\S.*\\(\\.\\.\\.\\)|\t\\S+:\\d+.*|created by .*)$", "");
    }

    /** Null when the server answered as allowed, else a one-line description of what it did. */
    String check(int port, Duration timeout) {
      String request = raw.replace("{port}", Integer.toString(port));
      List<Http.Response> got;
      try {
        got = Http.raw(port, request.getBytes(ISO_8859_1), 1, timeout);
      } catch (UncheckedIOException e) {
        return show(request) + " -> " + e.getCause();
      }
      if (got.isEmpty()) {
        return show(request) + " -> connection closed without an answer";
      }
      Http.Response r = got.get(0);
      String text = r.text();
      // Only text can be a stack trace; a profile or JFR body names exceptions as data.
      boolean isText = String.valueOf(r.header("Content-Type")).startsWith("text/");
      if (r.status() >= 500 && !statuses.contains(r.status())
          || isText
              && (withoutGoroutineFrames(text).contains("Exception") || text.contains("\tat "))) {
        return show(request) + " -> crash: " + r + " " + text;
      }
      if (!statuses.contains(r.status())) {
        return show(request)
            + " -> "
            + r.statusLine()
            + " (want "
            + statuses
            + "): "
            + (isText ? text : r.body().length + " bytes of " + r.header("Content-Type"));
      }
      if (body != null && r.status() == statuses.iterator().next() && !body.equals(text)) {
        return show(request) + " -> body [" + text + "], Go's is [" + body + "]";
      }
      if (request.startsWith("HEAD ") && r.body().length != 0) {
        return show(request) + " -> HEAD with a body";
      }
      return null;
    }

    private static String show(String request) {
      return request.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
  }

  /** {@code GET target} with Host and Connection: close, as a well-behaved client sends it. */
  static String get(String target) {
    return request("GET", target);
  }

  static String request(String method, String target) {
    return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  }

  static String withHeaders(String requestLine, String... headers) {
    return requestLine + "\r\n" + String.join("", headers) + "Connection: close\r\n\r\n";
  }

  /** {@code GET /debug/pprof/cmdline} over HTTP/1.1 with Host and one more header line. */
  static String cmdlineWith(String header) {
    return withHeaders("GET /debug/pprof/cmdline HTTP/1.1", "Host: 127.0.0.1\r\n", header + "\r\n");
  }

  static List<Case> all() {
    List<Case> c = new ArrayList<>();
    String p = "/debug/pprof/profile";
    // CPU profile: a missing, unparsable or non-positive seconds is Go's 30, i.e. maxSeconds here.
    for (String s :
        Arrays.asList(
            "abc",
            "-5",
            "0",
            "",
            "1.5",
            "99999999999999999999",
            "0x10",
            "%201",
            "%zz",
            "1e3",
            "%2B1")) {
      c.add(new Case(get(p + "?seconds=" + s), null, 200));
    }
    c.add(new Case(get(p + "?seconds=1&seconds=abc"), null, 200)); // the first value counts
    c.add(new Case(get(p + "?seconds=abc&seconds=9"), null, 200));
    c.add(new Case(get(p + "?debug=1&gc=1&seconds=1&foo=bar"), null, 200)); // others ignored
    c.add(new Case(get(p + "?%zz&seconds=1"), null, 200)); // Go skips a bad pair, keeps the rest
    c.add(new Case(get(p), null, 200));
    // Over the agent's limit (Go has none): a clear 400 rather than a long wait.
    for (String s : Arrays.asList("2", "30", "9223372036854775807")) {
      c.add(new Case(get(p + "?seconds=" + s), OVER, 400));
    }
    // Parameters on endpoints that take none, and on the index.
    for (String q :
        Arrays.asList(
            "seconds=-1",
            "debug=abc",
            "gc=1",
            "debug=1&debug=2",
            "%zz",
            "foo=bar&foo=baz",
            "seconds=1.5&gc=x")) {
      c.add(new Case(get("/debug/pprof/cmdline?" + q), null, 200));
      c.add(new Case(get("/debug/pprof/?" + q), null, 200));
    }
    c.add(new Case(get("/debug/pprof/symbol?seconds=abc"), "num_symbols: 1\n", 200));
    c.add(new Case(get("/debug/pprof/symbol?0x1&0x1+%zz"), "num_symbols: 1\n", 200));
    // Named profiles (Go's handler.ServeHTTP): seconds ≠ "" is a delta, which wants a positive
    // integer, no debug, and (the agent's rule) at most maxSeconds.
    for (String q :
        Arrays.asList(
            "heap?seconds=abc",
            "heap?seconds=-1",
            "goroutine?seconds=0",
            "allocs?seconds=1.5",
            "goroutine?seconds=99999999999999999999",
            "heap?seconds=%201",
            "mutex?seconds=-1",
            "block?seconds=x")) {
      c.add(new Case(get("/debug/pprof/" + q), INVALID, 400));
    }
    c.add(new Case(get("/debug/pprof/heap?seconds=2"), OVER, 400));
    c.add(
        new Case(
            get("/debug/pprof/mutex?seconds=1&debug=1"),
            "seconds and debug params are incompatible\n",
            400));
    // block and mutex exist (empty at rate 0); odd parameters are ignored as in Go.
    for (String q :
        Arrays.asList("block", "mutex?debug=abc", "block?debug=1&gc=1", "mutex?debug=-1")) {
      c.add(new Case(get("/debug/pprof/" + q), null, 200));
    }
    c.add(
        new Case(
            get("/debug/pprof/goroutine?seconds=1&debug=1"),
            "seconds and debug params are incompatible\n",
            400));
    for (String q :
        Arrays.asList(
            "heap?seconds=%zz",
            "heap?seconds=",
            "heap?seconds=1&gc=1",
            "goroutine?seconds=1",
            "heap?gc=abc",
            "allocs?gc=1",
            "heap?debug=-1",
            "goroutine?debug=2",
            "goroutine?debug=abc",
            "heap?debug=1&debug=0",
            "goroutine?foo=bar&foo=baz")) {
      c.add(new Case(get("/debug/pprof/" + q), null, 200));
    }
    // trace: seconds is a float; missing, bad or ≤ 0 is 1 s; NaN and Inf end at once.
    for (String q : Arrays.asList("abc", "0.5", "NaN", "1e400")) {
      c.add(new Case(get("/debug/pprof/trace?seconds=" + q), null, 200));
    }
    c.add(new Case(get("/debug/pprof/trace?seconds=1.5"), OVER, 400));
    c.add(new Case(get("/debug/pprof/trace?seconds=1e9"), OVER, 400));
    // expvar: Go registers /debug/vars without a method, so every method gets the JSON.
    c.add(new Case(get("/debug/vars?x=%zz"), null, 200));
    c.add(new Case(request("PUT", "/debug/vars"), null, 200));
    // Names that are no profile.
    for (String t :
        Arrays.asList(
            "mutexes",
            "block/",
            "foo",
            "CMDLINE",
            "cmdline/",
            "profile/",
            "%3Cscript%3Ealert(1)%3C/script%3E",
            "cmdline%00",
            "%c0%ae%c0%ae/",
            "..%5c..%5cetc",
            "..\\..\\etc",
            "%ff%fe")) {
      c.add(new Case(get("/debug/pprof/" + t), UNKNOWN, 404));
    }
    // Outside /debug/pprof/: the mux's 404.
    for (String t :
        Arrays.asList(
            "/", "/DEBUG/PPROF/", "/debug/pprof\\cmdline", "/debug/pprofx", "/etc/passwd")) {
      c.add(new Case(get(t), NOT_FOUND, 404));
    }
    // Paths the mux cleans and redirects (301): nothing is served from outside.
    for (String t :
        Arrays.asList(
            "/debug/pprof/../../etc/passwd",
            "/debug/pprof/%2e%2e/%2e%2e/etc",
            "//debug/pprof/",
            "/debug//pprof/cmdline",
            "/debug/pprof/./cmdline",
            "/debug/pprof/%2fcmdline")) {
      c.add(new Case(get(t), null, 301));
    }
    c.add(new Case(get("/debug/pprof/%63mdline"), null, 200)); // %63 is 'c'
    c.add(new Case(get("/debug/pprof/%"), BAD, 400));
    // Methods.
    c.add(new Case(request("HEAD", "/debug/pprof/cmdline"), null, 200));
    c.add(new Case(request("HEAD", "/debug/pprof/foo"), null, 404));
    c.add(new Case(request("HEAD", p + "?seconds=abc"), null, 200));
    for (String m : Arrays.asList("PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "FOO", "get")) {
      c.add(new Case(request(m, "/debug/pprof/cmdline"), NOT_ALLOWED, 405));
    }
    c.add(
        new Case(
            withHeaders("CONNECT 127.0.0.1:{port} HTTP/1.1", "Host: 127.0.0.1:{port}\r\n"),
            null,
            400,
            404,
            405)); // Go: 400 (no path to route)
    // Go: 200 for OPTIONS * (its server's own answer), 400 for any other method on *.
    c.add(new Case(request("OPTIONS", "*"), null, 200, 400));
    c.add(new Case(request("GET", "*"), BAD, 400));
    c.add(
        new Case(
            withHeaders(
                "POST /debug/pprof/symbol HTTP/1.1",
                "Host: 127.0.0.1\r\n",
                "Content-Length: 1000000\r\n"),
            null,
            413));
    // Absolute-form targets: the host in the target is the one the Host guard checks.
    c.add(new Case(get("http://127.0.0.1:{port}/debug/pprof/cmdline"), null, 200));
    c.add(new Case(get("http://localhost:{port}/debug/pprof/foo"), UNKNOWN, 404));
    c.add(
        new Case(
            withHeaders(
                "GET http://evil.example/debug/pprof/cmdline HTTP/1.1", "Host: 127.0.0.1\r\n"),
            null,
            403));
    c.add(
        new Case(
            withHeaders("GET http://127.0.0.1:{port}/debug/pprof/cmdline HTTP/1.1"),
            BAD + ": missing required Host header",
            400));
    // HTTP/1.0 needs no Host; HTTP/1.1 does, exactly one.
    c.add(new Case(withHeaders("GET /debug/pprof/cmdline HTTP/1.0"), null, 200));
    c.add(
        new Case(
            withHeaders("GET /debug/pprof/cmdline HTTP/1.0", "Host: 127.0.0.1\r\n"), null, 200));
    c.add(
        new Case(
            withHeaders("GET /debug/pprof/cmdline HTTP/1.0", "Host: evil.example\r\n"), null, 403));
    c.add(
        new Case(
            withHeaders("GET /debug/pprof/cmdline HTTP/1.1"),
            BAD + ": missing required Host header",
            400));
    c.add(new Case(cmdlineWith("Host: evil.example"), BAD + ": too many Host headers", 400));
    c.add(new Case(withHeaders("GET /debug/pprof/cmdline HTTP/1.1", "Host: \r\n"), null, 400, 403));
    // Broken request lines and headers.
    c.add(new Case("GET /debug/pprof/cmdline\r\nHost: 127.0.0.1\r\n\r\n", null, 400));
    c.add(
        new Case(
            withHeaders("GET /debug/pprof/cmdline HTTP/2.0", "Host: 127.0.0.1\r\n"),
            "505 HTTP Version Not Supported: unsupported protocol version",
            505));
    c.add(
        new Case(
            withHeaders("GET /debug/pprof/cmdline HTTP/9", "Host: 127.0.0.1\r\n"), null, 400, 505));
    c.add(
        new Case(
            withHeaders("GET  /debug/pprof/cmdline  HTTP/1.1", "Host: 127.0.0.1\r\n"),
            null,
            200,
            400));
    c.add(new Case(cmdlineWith("NoColonHere"), null, 400));
    c.add(new Case(cmdlineWith("Content-Length: -1"), null, 400));
    c.add(new Case(cmdlineWith("Content-Length: abc"), null, 400));
    c.add(
        new Case(
            withHeaders(
                    "POST /debug/pprof/symbol HTTP/1.1",
                    "Host: 127.0.0.1\r\n",
                    "Transfer-Encoding: chunked\r\n")
                + "zz\r\n0x1\r\n0\r\n\r\n",
            null,
            400));
    c.add(new Case(cmdlineWith("Expect: 100-continue"), null, 200));
    c.add(new Case(cmdlineWith("Expect: teapot"), null, 417));
    // Bare LF line ends: Go accepts them; Netty refuses them (strict CRLF, against smuggling).
    c.add(
        new Case(
            "GET /debug/pprof/cmdline HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n",
            null,
            200,
            400));
    c.add(new Case(cmdlineWith("X-Big: " + "a".repeat(20_000)), null, 431));
    c.add(new Case(get("/debug/pprof/" + "a".repeat(10_000)), null, 414));
    // Not HTTP at all: Go's 400.
    c.add(
        new Case(
            "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n",
            null,
            400));
    c.add(new Case("\u0000\u0001\u0002\u0003\u00ff\u00fe\r\n\r\n", null, 400));
    c.add(new Case("HELLO\r\n\r\n", null, 400));
    c.add(new Case("SSH-2.0-OpenSSH_9.6\r\n\r\n", null, 400));
    return c;
  }
}
