package dev.jpprof.agent;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's configuration, immutable once read. Each key is looked up in order in the agent
 * arguments ({@code -javaagent:profiler.jar=port=6061,host=::1}), the system properties ({@code
 * -Djpprof.port=6061}), the environment ({@code JPPROF_PORT=6061}, dots become underscores) and
 * finally the defaults below. An unknown key or a bad value is an error that names it, so a typo
 * never silently falls back to a default.
 */
public final class Config {
  /** CpuProfiler.ENGINES, spelled out so that premain need not load the CPU engine's classes. */
  static final List<String> CPU_ENGINES = List.of("auto", "async-profiler", "jfr");

  /** The heap engines: auto = jvmti where libjpprof loads, else jfr; bytebuddy only if asked. */
  public static final List<String> ALLOC_ENGINES = List.of("auto", "jvmti", "jfr", "bytebuddy");

  /**
   * What {@code cpu.event} accepts: async-profiler takes comma-separated options, so an event must
   * not smuggle in more of them. CpuProfiler checks events with the same pattern.
   */
  public static final String CPU_EVENT_PATTERN = "[A-Za-z0-9_.:$-]+";

  // Every key, once, in the order the README and the index page list them.

  static final Key<String> HOST =
      Key.of(
          "host",
          "loopback",
          Key.text().check(h -> !h.isEmpty(), "must not be empty"),
          "address to bind: loopback is 127.0.0.1 and, where the host has IPv6, [::1] (kubectl"
              + " port-forward uses either); anything else needs allowRemote and a token");
  static final Key<Integer> PORT =
      Key.of(
          "port",
          "6060",
          Key.integer(0, 65535, "must be 0..65535"),
          "Go's conventional pprof port; 0 picks a free one");
  static final Key<Integer> BIND_RETRIES =
      Key.of(
          "bindRetries",
          "0",
          Key.integer(0, 3600, "must be 0..3600"),
          "a port in use (say, the old pod still shutting down) is retried this many times, a second"
              + " apart; 0 gives up at once. The application runs on either way");
  static final Key<Boolean> ALLOW_REMOTE =
      Key.of(
          "allowRemote",
          "false",
          Key.bool(),
          "allow a non-loopback host (a token is then required)");
  static final Key<String> TOKEN =
      Key.of(
          "token",
          "",
          Key.text(),
          "when set, every request needs \"Authorization: Bearer <token>\"");
  static final Key<String> TOKEN_FILE =
      Key.of(
          "tokenFile",
          "",
          Key.text(),
          "the token read from a file (first line), e.g. a mounted secret");
  static final Key<Integer> MAX_REQUESTS =
      Key.of(
          "maxRequests",
          "16",
          Key.integer(1, Integer.MAX_VALUE, "must be at least 1"),
          "requests in flight at once; more get 503");
  static final Key<Integer> MAX_CONNECTIONS =
      Key.of(
          "maxConnections",
          "64",
          Key.integer(1, Integer.MAX_VALUE, "must be at least 1"),
          "open connections at once; more are closed as soon as they are accepted, so idle sockets"
              + " cannot each hold a file descriptor until idleTimeout");
  static final Key<Integer> MAX_SECONDS =
      Key.of(
          "maxSeconds",
          "600",
          Key.integer(1, Integer.MAX_VALUE, "must be at least 1"),
          "longest profile window a request may ask for");
  static final Key<Long> IDLE_TIMEOUT =
      Key.of(
          "idleTimeout",
          "60s",
          Key.nanos().check(n -> n > 0, "must be positive"),
          "a connection with no request in flight for this long is closed");
  static final Key<String> CPU_ENGINE =
      Key.of(
          "cpu.engine",
          "auto",
          Key.oneOf(CPU_ENGINES),
          "auto: async-profiler, or JFR's execution samples where it cannot run; async-profiler; jfr");
  static final Key<String> CPU_EVENT =
      Key.of(
          "cpu.event",
          "cpu",
          Key.text()
              .check(
                  e -> e.matches(CPU_EVENT_PATTERN),
                  "must be an async-profiler event name such as cpu, itimer or ctimer"),
          "async-profiler event; falls back to itimer, then ctimer");
  static final Key<Long> CPU_INTERVAL =
      Key.of(
          "cpu.interval",
          "10ms",
          Key.nanos().check(n -> n > 0, "must be positive"),
          "CPU sampling period: Go's fixed 100 Hz");
  static final Key<Long> CPU_IDLE_TIMEOUT =
      Key.of(
          "cpu.idleTimeout",
          "3s",
          Key.nanos().check(n -> n >= 0, "must be 0 (stop with the last window) or more"),
          "the native CPU session keeps running this long after its last window closed, so that"
              + " scrapers' back-to-back windows do not restart it each time; 0 = stop with the last");
  static final Key<Long> WALL_INTERVAL =
      Key.of(
          "wall.interval",
          "50ms",
          Key.nanos().check(n -> n >= 1_000_000, "must be at least 1ms"),
          "wall-clock sampling period of /debug/fgprof (every thread, on and off CPU); sampled only"
              + " while a wall window is open");
  static final Key<Integer> STACK_DEPTH =
      Key.of(
          "stack.depth",
          "128",
          Key.integer(1, 2048, "must be 1..2048"),
          "deepest stack recorded, in frames: Go's depth since 1.23");
  static final Key<Long> ALLOC_RATE =
      Key.of(
          "alloc.rate",
          "524288",
          Key.longInteger("number of bytes").check(r -> r >= 0, "must be 0 (off) or more"),
          "Go's MemProfileRate: mean bytes between samples; 0 = off");
  static final Key<Integer> ALLOC_MAX_BUCKETS =
      Key.of(
          "alloc.maxBuckets",
          "8192",
          Key.integer(1, Integer.MAX_VALUE, "must be at least 1"),
          "distinct (stack, size) buckets kept; more are merged");
  static final Key<String> ALLOC_ENGINE =
      Key.of(
          "alloc.engine",
          "auto",
          Key.oneOf(ALLOC_ENGINES),
          "auto: the JVM's own sampler (JVMTI) where libjpprof loads, else JFR (allocs only); jvmti;"
              + " jfr; bytebuddy: rewrite allocation sites (opt-in, costly: see BENCHMARKS.md)");
  static final Key<Integer> ALLOC_MAX_LIVE =
      Key.of(
          "alloc.maxLive",
          "65536",
          Key.integer(1, 16_000_000, "must be 1..16000000"),
          "sampled objects whose frees are watched (for inuse_*); over it, samples count as"
              + " allocated and at once freed. 65536 at the default rate is ~32 GiB of live heap");
  static final Key<Integer> ALLOC_MAX_SAMPLES_PER_SECOND =
      Key.of(
          "alloc.maxSamplesPerSecond",
          "100",
          Key.integer(0, 1_000_000, "must be 0 (no cap) .. 1000000"),
          "cap on the JVMTI engine's samples per second (JFR takes 150 always-on, 300 to profile):"
              + " while the application allocates faster, the interval doubles until it is under;"
              + " each sample then counts for the samples alloc.rate would have taken; 0 = no cap");
  static final Key<Long> BLOCK_RATE =
      Key.runTime(
          "block.rate",
          "0",
          Key.nanosOrDuration().check(r -> r >= 0, "must be 0 (off) or more"),
          "Go's SetBlockProfileRate: waits of this duration or longer are all recorded, shorter ones"
              + " with probability wait/rate; 0 = off. See BENCHMARKS.md");
  static final Key<Integer> MUTEX_FRACTION =
      Key.runTime(
          "mutex.fraction",
          "0",
          Key.integer(0, Integer.MAX_VALUE, "must be 0 (off) or more"),
          "Go's SetMutexProfileFraction: 1 in this many contention events is recorded; 0 = off");

  /** Every key, in documentation order. */
  static final List<Key<?>> KEYS =
      List.of(
          HOST,
          PORT,
          BIND_RETRIES,
          ALLOW_REMOTE,
          TOKEN,
          TOKEN_FILE,
          MAX_REQUESTS,
          MAX_CONNECTIONS,
          MAX_SECONDS,
          IDLE_TIMEOUT,
          CPU_ENGINE,
          CPU_EVENT,
          CPU_INTERVAL,
          CPU_IDLE_TIMEOUT,
          WALL_INTERVAL,
          STACK_DEPTH,
          ALLOC_RATE,
          ALLOC_MAX_BUCKETS,
          ALLOC_ENGINE,
          ALLOC_MAX_LIVE,
          ALLOC_MAX_SAMPLES_PER_SECOND,
          BLOCK_RATE,
          MUTEX_FRACTION);

  /** Every key with its default, in documentation order. */
  static final Map<String, String> DEFAULTS = defaults();

  /**
   * jpprof.* system properties that are not configuration: NativeHeap's test seam
   * (jpprof.heap.library, a file to load instead of the jar's libjpprof). Read as a key, it made
   * the agent refuse to start, so the fallback it exists to force could not be reached.
   */
  static final List<String> NOT_CONFIGURATION = List.of("jpprof.heap.library");

  /** The text of every key, for the index page. */
  private final Map<String, String> values;

  /** The parsed value of every key. */
  private final Map<Key<?>, Object> parsed = new HashMap<>();

  /** The token, read from tokenFile once, on first use. */
  private String token;

  private Config(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    for (Key<?> key : KEYS) {
      d.put(key.name, key.defaultText);
    }
    return Collections.unmodifiableMap(d);
  }

  /** The declared key of this name, or null. */
  static Key<?> key(String name) {
    for (Key<?> key : KEYS) {
      if (key.name.equals(name)) {
        return key;
      }
    }
    return null;
  }

  /** Reads the configuration from the agent arguments, the JVM's properties and environment. */
  public static Config load(String agentArgs) {
    return parse(agentArgs, System.getProperties(), System.getenv());
  }

  /** Reads the configuration from explicit sources; the seam tests use. */
  static Config parse(String agentArgs, Map<?, ?> properties, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
    for (Map.Entry<String, String> e : envSettings(env).entrySet()) {
      values.put(e.getKey(), e.getValue());
    }
    for (Map.Entry<?, ?> e : properties.entrySet()) {
      String name = String.valueOf(e.getKey());
      if (name.startsWith("jpprof.") && !NOT_CONFIGURATION.contains(name)) {
        values.put(known(name.substring("jpprof.".length()), name), String.valueOf(e.getValue()));
      }
    }
    for (Map.Entry<String, String> e : argSettings(agentArgs).entrySet()) {
      values.put(e.getKey(), e.getValue());
    }
    Config config = new Config(values);
    config.validate();
    return config;
  }

  private static Map<String, String> envSettings(Map<String, String> env) {
    Map<String, String> byEnvName = new LinkedHashMap<>();
    for (String key : DEFAULTS.keySet()) {
      byEnvName.put(envName(key), key);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith("JPPROF_")) {
        String key = byEnvName.get(e.getKey());
        out.put(known(key == null ? e.getKey() : key, e.getKey()), e.getValue());
      }
    }
    return out;
  }

  /**
   * {@code cpu.event} → {@code JPPROF_CPU_EVENT}, {@code allowRemote} → {@code JPPROF_ALLOWREMOTE}.
   */
  static String envName(String key) {
    return "JPPROF_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** {@code key=value,key=value}, every key known; the order is kept. */
  static Map<String, String> argSettings(String agentArgs) {
    Map<String, String> out = new LinkedHashMap<>();
    if (agentArgs == null || agentArgs.trim().isEmpty()) {
      return out;
    }
    for (String part : agentArgs.split(",")) {
      if (part.trim().isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "agent argument \"" + part.trim() + "\" is not key=value");
      }
      String key = part.substring(0, eq).trim();
      out.put(known(key, key), part.substring(eq + 1).trim());
    }
    return out;
  }

  private static String known(String key, String as) {
    if (!DEFAULTS.containsKey(key)) {
      throw new IllegalArgumentException(
          "unknown configuration key \""
              + as
              + "\" (known keys: "
              + String.join(", ", DEFAULTS.keySet())
              + ")");
    }
    return key;
  }

  /** Parses every key once; the first bad value throws, naming key and value. */
  private void validate() {
    for (Key<?> key : KEYS) {
      parsed.put(key, key.parse(values.get(key.name)));
    }
    if (!get(TOKEN).isEmpty() && !get(TOKEN_FILE).isEmpty()) {
      throw Key.bad(
          TOKEN_FILE.name, values.get(TOKEN_FILE.name), "set token or tokenFile, not both");
    }
  }

  @SuppressWarnings("unchecked")
  <T> T get(Key<T> key) {
    return (T) parsed.get(key);
  }

  public String host() {
    return get(HOST);
  }

  public int port() {
    return get(PORT);
  }

  public String cpuEngine() {
    return get(CPU_ENGINE);
  }

  /** How often a port in use is tried again, a second apart. */
  public int bindRetries() {
    return get(BIND_RETRIES);
  }

  public String cpuEvent() {
    return get(CPU_EVENT);
  }

  public long cpuIntervalNanos() {
    return get(CPU_INTERVAL);
  }

  public long wallIntervalNanos() {
    return get(WALL_INTERVAL);
  }

  public long cpuIdleTimeoutNanos() {
    return get(CPU_IDLE_TIMEOUT);
  }

  public int stackDepth() {
    return get(STACK_DEPTH);
  }

  public long allocRate() {
    return get(ALLOC_RATE);
  }

  /** block.rate in nanoseconds: a duration ({@code 10us}, {@code 1ms}) or a bare number of ns. */
  public long blockRateNanos() {
    return get(BLOCK_RATE);
  }

  public int mutexFraction() {
    return get(MUTEX_FRACTION);
  }

  public int allocMaxBuckets() {
    return get(ALLOC_MAX_BUCKETS);
  }

  public String allocEngine() {
    return get(ALLOC_ENGINE);
  }

  public int allocMaxLive() {
    return get(ALLOC_MAX_LIVE);
  }

  public int allocMaxSamplesPerSecond() {
    return get(ALLOC_MAX_SAMPLES_PER_SECOND);
  }

  public boolean allowRemote() {
    return get(ALLOW_REMOTE);
  }

  /**
   * The bearer token every request must carry, or "" for none. Read from {@code tokenFile} (its
   * first line) when that is set, so the secret need not appear on the command line; the file is
   * read once, the first time the token is asked for (when the server starts).
   */
  public synchronized String token() throws java.io.IOException {
    if (token != null) {
      return token;
    }
    String file = get(TOKEN_FILE);
    if (file.isEmpty()) {
      return token = get(TOKEN);
    }
    java.util.List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(file));
    String read = lines.isEmpty() ? "" : lines.get(0).trim();
    if (read.isEmpty()) {
      throw new IllegalArgumentException("tokenFile " + file + " is empty");
    }
    return token = read;
  }

  public int maxRequests() {
    return get(MAX_REQUESTS);
  }

  public int maxConnections() {
    return get(MAX_CONNECTIONS);
  }

  public int maxSeconds() {
    return get(MAX_SECONDS);
  }

  public long idleTimeoutNanos() {
    return get(IDLE_TIMEOUT);
  }

  /**
   * The effective value of every key, in documentation order, for the index page; the token itself
   * is never shown.
   */
  public Map<String, String> effective() {
    Map<String, String> shown = new LinkedHashMap<>(values);
    if (!shown.get("token").isEmpty()) {
      shown.put("token", "(set)");
    }
    return Collections.unmodifiableMap(shown);
  }
}
