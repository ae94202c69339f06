package dev.jpprof.agent;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code push.*} keys (continuous profiling to a Pyroscope server, off unless {@code push.url}
 * is set) and their parsed values. Declared here rather than in {@link Config}, which lists them
 * after its own keys, to keep both files small.
 *
 * <p>List values ({@code push.labels}, {@code push.types}, {@code push.headers}) are separated by
 * {@code ;}, because {@code ,} already separates the keys of the agent arguments; in {@code
 * jpprof.*} properties and {@code JPPROF_*} variables a plain {@code ,} list works too.
 */
public final class PushConfig {
  /** What {@code push.types} accepts; {@code heap} and {@code allocs} are one push (memory). */
  public static final List<String> TYPES =
      List.of("cpu", "wall", "allocs", "heap", "goroutine", "block", "mutex");

  /** Pyroscope's label names (labelset.IsLabelNameRuneAllowed). */
  private static final String LABEL_NAME = "[A-Za-z0-9_.]+";

  /** Pyroscope's service names (labelset.IsServiceNameRuneAllowed). */
  static final String APP_NAME = "[A-Za-z0-9_./-]+";

  static final Key<String> URL =
      Key.of(
          "push.url",
          "",
          Key.text().check(PushConfig::httpUrl, "must be an http:// or https:// URL"),
          "Pyroscope's base URL (profiles go to {url}/ingest); empty = no push");
  static final Key<String> APP =
      Key.of(
          "push.app",
          "",
          Key.text().check(a -> a.isEmpty() || a.matches(APP_NAME), "letters, digits, _ . / -"),
          "the service_name profiles are pushed as; empty = the main class or jar name");
  static final Key<Map<String, String>> LABELS =
      Key.of(
          "push.labels",
          "",
          pairs(LABEL_NAME, "[^{},=;]*", "k=v;k=v, names of letters, digits, _ and ."),
          "static labels added to every pushed profile: k=v;k=v");
  static final Key<Long> INTERVAL =
      Key.of(
          "push.interval",
          "15s",
          Key.nanos().check(n -> n >= 1_000_000_000L, "must be 1s or more"),
          "one upload per profile type per interval (Pyroscope's Go SDK: 15s)");
  static final Key<List<String>> TYPES_KEY =
      Key.of(
          "push.types",
          "cpu;allocs;goroutine",
          typeList(),
          "profile types pushed: cpu, wall, allocs (or heap), goroutine, block, mutex");
  static final Key<Integer> CPU_THRESHOLD =
      Key.of(
          "push.cpuThreshold",
          "0",
          Key.integer(0, 1_000_000, "must be 0 (always) .. 1000000"),
          "per mille of one CPU (go-zero's CpuThreshold): push only while the process used more"
              + " over the last interval; 0 = always");
  static final Key<Long> DURATION =
      Key.of(
          "push.duration",
          "2m",
          Key.nanos().check(n -> n > 0, "must be positive"),
          "how long pushing lasts after the CPU was last over push.cpuThreshold");
  static final Key<String> TOKEN =
      Key.of("push.token", "", Key.text(), "sent as Authorization: Bearer <token>");
  static final Key<String> TOKEN_FILE =
      Key.of("push.tokenFile", "", Key.text(), "push.token read from a file (first line)");
  static final Key<String> BASIC_AUTH =
      Key.of(
          "push.basicAuth",
          "",
          Key.text(),
          "user:password for HTTP basic auth, or a file whose first line is user:password");
  static final Key<String> TENANT =
      Key.of("push.tenant", "", Key.text(), "sent as X-Scope-OrgID (multi-tenant Pyroscope)");
  static final Key<Map<String, String>> HEADERS =
      Key.of(
          "push.headers",
          "",
          pairs("[A-Za-z0-9!#$%&'*+.^_`|~-]+", "[^;,\r\n]*", "Name=value;Name=value"),
          "more request headers: Name=value;Name=value");
  static final Key<Long> TIMEOUT =
      Key.of(
          "push.timeout",
          "10s",
          Key.nanos().check(n -> n >= 1_000_000L, "must be 1ms or more"),
          "connect and read timeout of each upload");

  static final List<Key<?>> KEYS =
      List.of(
          URL,
          APP,
          LABELS,
          INTERVAL,
          TYPES_KEY,
          CPU_THRESHOLD,
          DURATION,
          TOKEN,
          TOKEN_FILE,
          BASIC_AUTH,
          TENANT,
          HEADERS,
          TIMEOUT);

  private final Config config;

  private PushConfig(Config config) {
    this.config = config;
  }

  /** The push settings of a configuration. */
  public static PushConfig of(Config config) {
    return new PushConfig(config);
  }

  /** Whether push is on: {@code push.url} is set. */
  public boolean enabled() {
    return !url().isEmpty();
  }

  /** The base URL, without a trailing slash. */
  public String url() {
    String u = config.get(URL);
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  /** The URL as shown on the index page and in messages: no user:password. */
  public String shownUrl() {
    return withoutUserInfo(url());
  }

  /** {@code push.app}, else the main class or jar name from {@code command}. */
  public String app(String command) {
    String app = config.get(APP);
    return app.isEmpty() ? appFromCommand(command) : app;
  }

  public Map<String, String> labels() {
    return config.get(LABELS);
  }

  public long intervalNanos() {
    return config.get(INTERVAL);
  }

  /** The types, each once, in the order given; {@code heap} is spelled {@code allocs}. */
  public List<String> types() {
    return config.get(TYPES_KEY);
  }

  public int cpuThreshold() {
    return config.get(CPU_THRESHOLD);
  }

  public long durationNanos() {
    return config.get(DURATION);
  }

  public String tenant() {
    return config.get(TENANT);
  }

  public Map<String, String> headers() {
    return config.get(HEADERS);
  }

  public long timeoutNanos() {
    return config.get(TIMEOUT);
  }

  /**
   * The Authorization header value ({@code Bearer ...} or {@code Basic ...}), or "" for none. Files
   * are read here, once, by the caller at push start.
   */
  public String authorization() throws IOException {
    String token = config.get(TOKEN);
    if (!config.get(TOKEN_FILE).isEmpty()) {
      token = firstLine(config.get(TOKEN_FILE), TOKEN_FILE.name);
    }
    if (!token.isEmpty()) {
      return "Bearer " + token;
    }
    String basic = config.get(BASIC_AUTH);
    if (basic.isEmpty()) {
      return "";
    }
    if (basic.indexOf(':') < 0) {
      basic = firstLine(basic, BASIC_AUTH.name);
    }
    return "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8));
  }

  /** The checks across keys, run by {@link Config} after each key parsed. */
  static void validate(Config config) {
    if (!config.get(TOKEN).isEmpty() && !config.get(TOKEN_FILE).isEmpty()) {
      throw Key.bad(TOKEN_FILE.name, config.get(TOKEN_FILE), "set push.token or push.tokenFile");
    }
    boolean bearer = !config.get(TOKEN).isEmpty() || !config.get(TOKEN_FILE).isEmpty();
    if (bearer && !config.get(BASIC_AUTH).isEmpty()) {
      throw Key.bad(BASIC_AUTH.name, "(set)", "set a push token or push.basicAuth, not both");
    }
  }

  private static String firstLine(String file, String key) throws IOException {
    List<String> lines = Files.readAllLines(Path.of(file));
    String line = lines.isEmpty() ? "" : lines.get(0).trim();
    if (line.isEmpty()) {
      throw new IOException(key + " file " + file + " is empty");
    }
    return line;
  }

  /**
   * The main class or the jar's name without {@code .jar}, from {@code sun.java.command}, made a
   * legal Pyroscope service name; "java" when there is none.
   */
  static String appFromCommand(String command) {
    String main = command == null ? "" : command.trim().split("\\s+")[0];
    if (main.endsWith(".jar")) {
      main = Path.of(main).getFileName().toString();
      main = main.substring(0, main.length() - ".jar".length());
    }
    main = main.replaceAll("[^A-Za-z0-9_./-]", "_");
    return main.isEmpty() ? "java" : main;
  }

  static String withoutUserInfo(String url) {
    try {
      URI u = new URI(url);
      if (u.getUserInfo() == null) {
        return url;
      }
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null)
          .toString();
    } catch (URISyntaxException e) {
      return "(unparsable URL)";
    }
  }

  private static boolean httpUrl(String url) {
    if (url.isEmpty()) {
      return true;
    }
    try {
      URI u = new URI(url);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
          && u.getHost() != null
          && u.getQuery() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Items separated by {@code ;} (or {@code ,}, outside agent arguments); blanks skipped. */
  static List<String> items(String text) {
    List<String> out = new ArrayList<>();
    for (String item : text.split("[;,]")) {
      if (!item.trim().isEmpty()) {
        out.add(item.trim());
      }
    }
    return out;
  }

  private static Key.Parser<List<String>> typeList() {
    return (key, text) -> {
      List<String> out = new ArrayList<>();
      for (String t : items(text)) {
        if (!TYPES.contains(t)) {
          throw Key.bad(key, text, "unknown type " + t + "; one of " + String.join(", ", TYPES));
        }
        String type = t.equals("heap") ? "allocs" : t;
        if (!out.contains(type)) {
          out.add(type);
        }
      }
      return Collections.unmodifiableList(out);
    };
  }

  private static Key.Parser<Map<String, String>> pairs(String name, String value, String how) {
    return (key, text) -> {
      Map<String, String> out = new LinkedHashMap<>();
      for (String item : items(text)) {
        int eq = item.indexOf('=');
        String k = eq < 0 ? "" : item.substring(0, eq).trim();
        String v = eq < 0 ? "" : item.substring(eq + 1).trim();
        if (!k.matches(name) || k.startsWith("__") || !v.matches(value)) {
          throw Key.bad(key, text, "must be " + how);
        }
        out.put(k, v);
      }
      return Collections.unmodifiableMap(out);
    };
  }
}
