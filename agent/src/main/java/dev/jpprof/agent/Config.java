package dev.jpprof.agent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's configuration, immutable once read. Each key is looked up in order in the agent
 * arguments ({@code -javaagent:profiler.jar=port=6061,host=::1}), the system properties
 * ({@code -Djpprof.port=6061}), the environment ({@code JPPROF_PORT=6061}, dots become
 * underscores) and finally the defaults below. An unknown key or a bad value is an error that
 * names it, so a typo never silently falls back to a default.
 */
public final class Config {
  /** Every key with its default, in the order the README and the index page list them. */
  static final Map<String, String> DEFAULTS = defaults();

  /** CpuProfiler.ENGINES, spelled out so that premain need not load the CPU engine's classes. */
  static final List<String> CPU_ENGINES = List.of("auto", "async-profiler", "jfr");

  /** The heap engines: auto = jvmti where libjpprof loads, else jfr; bytebuddy only if asked. */
  public static final List<String> ALLOC_ENGINES = List.of("auto", "jvmti", "jfr", "bytebuddy");

  /**
   * jpprof.* system properties that are not configuration: NativeHeap's test seam
   * (jpprof.heap.library, a file to load instead of the jar's libjpprof). Read as a key, it made
   * the agent refuse to start, so the fallback it exists to force could not be reached.
   */
  static final List<String> NOT_CONFIGURATION = List.of("jpprof.heap.library");

  private final Map<String, String> values;

  private Config(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    // "loopback" = 127.0.0.1 and, where the host has IPv6, [::1] (kubectl port-forward uses
    // either). A profiler port is not for the network: anything else needs allowRemote + token.
    d.put("host", "loopback");
    d.put("port", "6060"); // Go's conventional pprof port; 0 picks a free one
    // A port in use (say, the old pod still shutting down) is retried this many times, a
    // second apart; 0 gives up at once. The application runs on either way.
    d.put("bindRetries", "0");
    d.put("allowRemote", "false");
    d.put("token", ""); // when set, every request needs "Authorization: Bearer <token>"
    d.put("tokenFile", ""); // the token read from a file (first line), e.g. a mounted secret
    d.put("maxRequests", "16"); // requests in flight at once; more get 503
    // Open connections at once; more are closed as soon as they are accepted, so idle sockets
    // cannot each hold a file descriptor until idleTimeout.
    d.put("maxConnections", "64");
    d.put("maxSeconds", "600"); // longest profile window a request may ask for
    d.put("idleTimeout", "60s"); // a connection with no request in flight for this long is closed
    // auto: async-profiler, or JFR's execution samples where it cannot run; async-profiler; jfr
    d.put("cpu.engine", "auto");
    d.put("cpu.event", "cpu"); // async-profiler event; falls back to itimer, then ctimer
    d.put("cpu.interval", "10ms"); // Go's fixed 100 Hz
    // The native CPU session keeps running this long after its last window closed, so that
    // scrapers' back-to-back windows do not restart it each time; 0 = stop with the last window.
    d.put("cpu.idleTimeout", "3s");
    d.put("stack.depth", "128"); // Go's stack depth since 1.23
    d.put("alloc.rate", "524288"); // Go's MemProfileRate: mean bytes between samples; 0 = off
    d.put("alloc.maxBuckets", "8192"); // distinct (stack, size) buckets kept; more are merged
    // auto: the JVM's own sampler (JVMTI) where libjpprof loads, else JFR (allocs only);
    // jvmti; jfr; bytebuddy: rewrite allocation sites (opt-in, costly: see BENCHMARKS.md)
    d.put("alloc.engine", "auto");
    // Sampled objects whose frees are watched (for inuse_*); over it, samples count as
    // allocated and at once freed. 65536 at the default rate is ~32 GiB of live heap.
    d.put("alloc.maxLive", "65536");
    // Go's SetBlockProfileRate: waits of this duration or longer are all recorded, shorter ones
    // with probability wait/rate; 0 = off. Settable at run time (attach). See BENCHMARKS.md.
    d.put("block.rate", "0");
    // Go's SetMutexProfileFraction: 1 in this many contention events is recorded; 0 = off.
    d.put("mutex.fraction", "0");
    return Collections.unmodifiableMap(d);
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

  /** {@code cpu.event} → {@code JPPROF_CPU_EVENT}, {@code allowRemote} → {@code JPPROF_ALLOWREMOTE}. */
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
          "unknown configuration key \"" + as + "\" (known keys: " + String.join(", ", DEFAULTS.keySet()) + ")");
    }
    return key;
  }

  private void validate() {
    int port = port();
    if (port < 0 || port > 65535) {
      throw bad("port", "must be 0..65535");
    }
    if (bindRetries() < 0 || bindRetries() > 3600) {
      throw bad("bindRetries", "must be 0..3600");
    }
    if (host().isEmpty()) {
      throw bad("host", "must not be empty");
    }
    if (cpuIntervalNanos() <= 0) {
      throw bad("cpu.interval", "must be positive");
    }
    if (cpuIdleTimeoutNanos() < 0) {
      throw bad("cpu.idleTimeout", "must be 0 (stop with the last window) or more");
    }
    if (stackDepth() < 1 || stackDepth() > 2048) {
      throw bad("stack.depth", "must be 1..2048");
    }
    if (allocRate() < 0) {
      throw bad("alloc.rate", "must be 0 (off) or more");
    }
    if (allocMaxBuckets() < 1) {
      throw bad("alloc.maxBuckets", "must be at least 1");
    }
    if (!ALLOC_ENGINES.contains(allocEngine())) {
      throw bad("alloc.engine", "must be one of " + String.join(", ", ALLOC_ENGINES));
    }
    if (allocMaxLive() < 1 || allocMaxLive() > 16_000_000) {
      throw bad("alloc.maxLive", "must be 1..16000000");
    }
    if (blockRateNanos() < 0) {
      throw bad("block.rate", "must be 0 (off) or more");
    }
    if (mutexFraction() < 0) {
      throw bad("mutex.fraction", "must be 0 (off) or more");
    }
    if (maxRequests() < 1) {
      throw bad("maxRequests", "must be at least 1");
    }
    if (maxConnections() < 1) {
      throw bad("maxConnections", "must be at least 1");
    }
    if (maxSeconds() < 1) {
      throw bad("maxSeconds", "must be at least 1");
    }
    if (idleTimeoutNanos() <= 0) {
      throw bad("idleTimeout", "must be positive");
    }
    String allow = values.get("allowRemote");
    if (!allow.equals("true") && !allow.equals("false")) {
      throw bad("allowRemote", "must be true or false");
    }
    if (!values.get("token").isEmpty() && !values.get("tokenFile").isEmpty()) {
      throw bad("tokenFile", "set token or tokenFile, not both");
    }
    if (!CPU_ENGINES.contains(cpuEngine())) {
      throw bad("cpu.engine", "must be one of " + String.join(", ", CPU_ENGINES));
    }
    if (!cpuEvent().matches("[A-Za-z0-9_.:$-]+")) {
      throw bad("cpu.event", "must be an async-profiler event name such as cpu, itimer or ctimer");
    }
  }

  public String host() {
    return values.get("host");
  }

  public int port() {
    return intValue("port");
  }

  public String cpuEngine() {
    return values.get("cpu.engine");
  }

  /** How often a port in use is tried again, a second apart. */
  public int bindRetries() {
    return intValue("bindRetries");
  }

  public String cpuEvent() {
    return values.get("cpu.event");
  }

  public long cpuIntervalNanos() {
    return Durations.parseNanos("cpu.interval", values.get("cpu.interval"));
  }

  public long cpuIdleTimeoutNanos() {
    return Durations.parseNanos("cpu.idleTimeout", values.get("cpu.idleTimeout"));
  }

  public int stackDepth() {
    return intValue("stack.depth");
  }

  public long allocRate() {
    try {
      return Long.parseLong(values.get("alloc.rate").trim());
    } catch (NumberFormatException e) {
      throw bad("alloc.rate", "must be an integer number of bytes");
    }
  }

  /** block.rate in nanoseconds: a duration ({@code 10us}, {@code 1ms}) or a bare number of ns. */
  public long blockRateNanos() {
    return blockRate(values.get("block.rate"));
  }

  static long blockRate(String text) {
    if (text.trim().matches("\\d+")) {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        // too large: let Durations name the problem
      }
    }
    return Durations.parseNanos("block.rate", text);
  }

  public int mutexFraction() {
    return intValue("mutex.fraction");
  }

  public int allocMaxBuckets() {
    return intValue("alloc.maxBuckets");
  }

  public String allocEngine() {
    return values.get("alloc.engine");
  }

  public int allocMaxLive() {
    return intValue("alloc.maxLive");
  }

  public boolean allowRemote() {
    return values.get("allowRemote").equals("true");
  }

  /**
   * The bearer token every request must carry, or "" for none. Read from {@code tokenFile}
   * (its first line) when that is set, so the secret need not appear on the command line.
   */
  public String token() throws java.io.IOException {
    String file = values.get("tokenFile");
    if (file.isEmpty()) {
      return values.get("token");
    }
    java.util.List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(file));
    String token = lines.isEmpty() ? "" : lines.get(0).trim();
    if (token.isEmpty()) {
      throw new IllegalArgumentException("tokenFile " + file + " is empty");
    }
    return token;
  }

  public int maxRequests() {
    return intValue("maxRequests");
  }

  public int maxConnections() {
    return intValue("maxConnections");
  }

  public int maxSeconds() {
    return intValue("maxSeconds");
  }

  public long idleTimeoutNanos() {
    return Durations.parseNanos("idleTimeout", values.get("idleTimeout"));
  }

  /**
   * The effective value of every key, in documentation order, for the index page; the token
   * itself is never shown.
   */
  public Map<String, String> effective() {
    Map<String, String> shown = new LinkedHashMap<>(values);
    if (!shown.get("token").isEmpty()) {
      shown.put("token", "(set)");
    }
    return Collections.unmodifiableMap(shown);
  }

  private int intValue(String key) {
    try {
      return Integer.parseInt(values.get(key).trim());
    } catch (NumberFormatException e) {
      throw bad(key, "must be an integer");
    }
  }

  private IllegalArgumentException bad(String key, String why) {
    return new IllegalArgumentException(
        "bad value \"" + values.get(key) + "\" for configuration key \"" + key + "\": " + why);
  }
}
