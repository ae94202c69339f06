package dev.jpprof.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Pyroscope stand-in on loopback: {@code POST /ingest} as Pyroscope's ingest handler reads it
 * (grafana/pyroscope pkg/ingester/pyroscope/ingest_handler.go and pkg/og/convert/pprof/profile.go):
 * query parameters {@code name} (app with an optional {@code {k=v,...}} label set), {@code from},
 * {@code until}, {@code spyName}, {@code sampleRate}; a multipart/form-data body with a {@code
 * profile} part and an optional {@code sample_type_config} part. A request that breaks the contract
 * gets 400 and is recorded as a violation; a good one is stored. Tests script the answers: a status
 * per request in turn, or a delay before answering (slow, hanging).
 */
public final class PyroscopeReceiver implements AutoCloseable {
  /** One accepted upload. */
  public static final class Ingested {
    public final String app;
    public final Map<String, String> labels;
    public final long from;
    public final long until;
    public final Map<String, String> query;
    public final Map<String, String> headers;
    public final byte[] profile;

    /** The sample_type_config part, or null. */
    public final String sampleTypeConfig;

    /** When it arrived, System.currentTimeMillis. */
    public final long receivedMillis = System.currentTimeMillis();

    Ingested(
        String app,
        Map<String, String> labels,
        Map<String, String> query,
        Map<String, String> headers,
        byte[] profile,
        String sampleTypeConfig) {
      this.app = app;
      this.labels = labels;
      this.query = query;
      this.from = Long.parseLong(query.get("from"));
      this.until = Long.parseLong(query.get("until"));
      this.headers = headers;
      this.profile = profile;
      this.sampleTypeConfig = sampleTypeConfig;
    }

    /** A request header, by case-insensitive name. */
    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final List<Ingested> stored = Collections.synchronizedList(new ArrayList<>());
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final ConcurrentLinkedDeque<Integer> script = new ConcurrentLinkedDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile long delayMillis;
  private volatile boolean hanging;

  public PyroscopeReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** The base URL to configure as push.url. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers the next requests with these statuses in turn (an error status stores nothing). */
  public void answer(Integer... statuses) {
    Collections.addAll(script, statuses);
  }

  /** Waits this long before reading and answering each request (slow or hanging server). */
  public void delay(long millis) {
    delayMillis = millis;
  }

  /**
   * While on, requests are read and then held unanswered until it is turned off (or the receiver
   * closes), and then dropped with a 503: a server that never answers. Nothing they carried is
   * stored, as the client gave up on them.
   */
  public void hang(boolean on) {
    hanging = on;
  }

  /** Requests received, answered or not. */
  public int requests() {
    return requests.get();
  }

  public List<Ingested> stored() {
    synchronized (stored) {
      return new ArrayList<>(stored);
    }
  }

  public List<String> violations() {
    synchronized (violations) {
      return new ArrayList<>(violations);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try {
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      byte[] body = ex.getRequestBody().readAllBytes();
      if (hanging) {
        while (hanging) {
          Thread.sleep(20);
        }
        reply(ex, 503, "was hanging");
        return;
      }
      Integer scripted = script.poll();
      if (scripted != null && scripted != 200) {
        reply(ex, scripted, "scripted " + scripted);
        return;
      }
      String problem = check(ex, body);
      if (problem != null) {
        violations.add(problem);
        reply(ex, 400, problem);
        return;
      }
      reply(ex, 200, "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ex.close();
    }
  }

  /** Stores a request that keeps the contract; else says what is wrong. */
  private String check(HttpExchange ex, byte[] body) {
    if (!ex.getRequestMethod().equals("POST") || !ex.getRequestURI().getPath().equals("/ingest")) {
      return "not POST /ingest: " + ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
    }
    Map<String, String> q = query(ex.getRequestURI().getRawQuery());
    for (String p : List.of("name", "from", "until", "spyName")) {
      if (q.get(p) == null || q.get(p).isEmpty()) {
        return "missing query parameter " + p;
      }
    }
    if (!q.get("from").matches("\\d{1,11}") || !q.get("until").matches("\\d{1,11}")) {
      return "from and until must be Unix seconds: " + q.get("from") + " " + q.get("until");
    }
    if (q.containsKey("format")) {
      return "format= makes Pyroscope read the body as a raw profile, not multipart";
    }
    String name = q.get("name");
    int brace = name.indexOf('{');
    String app = brace < 0 ? name : name.substring(0, brace);
    if (!app.matches("[A-Za-z0-9_./-]+")) {
      return "bad service name " + app;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (brace >= 0) {
      if (!name.endsWith("}")) {
        return "label set not closed: " + name;
      }
      for (String kv : name.substring(brace + 1, name.length() - 1).split(",")) {
        int eq = kv.indexOf('=');
        if (eq <= 0 || !kv.substring(0, eq).matches("[A-Za-z0-9_.]+")) {
          return "bad label " + kv;
        }
        labels.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.startsWith("multipart/form-data; boundary=")) {
      return "Content-Type is not multipart/form-data: " + type;
    }
    Map<String, byte[]> parts;
    try {
      parts = Multipart.parse(body, type.substring(type.indexOf('=') + 1));
    } catch (IllegalArgumentException e) {
      return "bad multipart body: " + e.getMessage();
    }
    byte[] profile = parts.get("profile");
    if (profile == null || profile.length < 2 || (profile[0] & 0xff) != 0x1f) {
      return "no gzipped profile part";
    }
    byte[] config = parts.get("sample_type_config");
    Map<String, String> headers = new LinkedHashMap<>();
    ex.getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
    stored.add(
        new Ingested(
            app,
            labels,
            q,
            headers,
            profile,
            config == null ? null : new String(config, StandardCharsets.UTF_8)));
    return null;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String p : raw.split("&")) {
      int eq = p.indexOf('=');
      String k = eq < 0 ? p : p.substring(0, eq);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void reply(HttpExchange ex, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    if ("close".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Connection"))) {
      ex.getResponseHeaders().set("Connection", "close"); // as Go's net/http answers
    }
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  /** A multipart/form-data reader, strict enough to catch a malformed body. */
  static final class Multipart {
    private Multipart() {}

    static Map<String, byte[]> parse(byte[] body, String boundary) {
      byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
      Map<String, byte[]> parts = new LinkedHashMap<>();
      int at = indexOf(body, delimiter, 0);
      if (at != 0) {
        throw new IllegalArgumentException("body does not start with the boundary");
      }
      while (true) {
        int after = at + delimiter.length;
        if (after + 2 <= body.length && body[after] == '-' && body[after + 1] == '-') {
          return parts; // closing delimiter
        }
        int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), after);
        if (headersEnd < 0) {
          throw new IllegalArgumentException("part without headers");
        }
        String headers = new String(body, after, headersEnd - after, StandardCharsets.US_ASCII);
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("Content-Disposition: form-data; name=\"([^\"]+)\"")
                .matcher(headers);
        if (!m.find()) {
          throw new IllegalArgumentException("part without a form-data name: " + headers);
        }
        int next =
            indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII), headersEnd);
        if (next < 0) {
          throw new IllegalArgumentException("part not terminated");
        }
        parts.put(m.group(1), java.util.Arrays.copyOfRange(body, headersEnd + 4, next));
        at = next + 2;
      }
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
      outer:
      for (int i = from; i <= hay.length - needle.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (hay[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
