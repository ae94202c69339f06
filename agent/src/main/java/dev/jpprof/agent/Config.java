package dev.jpprof.agent;

import java.util.Collections;
import java.util.LinkedHashMap;
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

  private final Map<String, String> values;

  private Config(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("host", "127.0.0.1"); // loopback only: a profiler port is not for the network
    d.put("port", "6060"); // Go's conventional pprof port; 0 picks a free one
    d.put("cpu.event", "cpu"); // async-profiler event; falls back to itimer, then ctimer
    d.put("cpu.interval", "10ms"); // Go's fixed 100 Hz
    d.put("stack.depth", "128"); // Go's stack depth since 1.23
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
      if (name.startsWith("jpprof.")) {
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
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith("JPPROF_")) {
        String key = e.getKey().substring("JPPROF_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
        out.put(known(key, e.getKey()), e.getValue());
      }
    }
    return out;
  }

  private static Map<String, String> argSettings(String agentArgs) {
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
    if (host().isEmpty()) {
      throw bad("host", "must not be empty");
    }
    if (cpuIntervalNanos() <= 0) {
      throw bad("cpu.interval", "must be positive");
    }
    if (stackDepth() < 1 || stackDepth() > 2048) {
      throw bad("stack.depth", "must be 1..2048");
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

  public String cpuEvent() {
    return values.get("cpu.event");
  }

  public long cpuIntervalNanos() {
    return Durations.parseNanos("cpu.interval", values.get("cpu.interval"));
  }

  public int stackDepth() {
    return intValue("stack.depth");
  }

  /** The effective value of every key, in documentation order, for the index page. */
  public Map<String, String> effective() {
    return values;
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
