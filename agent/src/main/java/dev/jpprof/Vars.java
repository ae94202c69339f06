package dev.jpprof;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Application variables for {@code /debug/vars}, as Go's {@code expvar.Publish}: each published
 * name appears in the JSON document with the supplier's current value, computed on every request.
 * Values may be numbers, strings, booleans, null, maps, lists and arrays of these (nested as deep
 * as needed); anything else is written as its {@code toString()}.
 *
 * <pre>
 * Vars.publish("orders.pending", queue::size);
 * Vars.publish("cache", () -> Map.of("hits", hits.get(), "misses", misses.get()));
 * </pre>
 *
 * <p>Class loading: {@code -javaagent:profiler.jar} puts the agent jar on the system class path, so
 * an application (or a child loader that delegates to the system loader first, as web containers
 * and Spring Boot do for {@code dev.jpprof}) gets this very class. Compile against the agent
 * artifact with {@code provided} scope, never bundle a copy (a copy would be a second, unserved
 * registry), and guard the call if the agent may be absent: {@code try { Vars.publish(...); } catch
 * (NoClassDefFoundError e) { }}.
 */
public final class Vars {
  /** Names the agent itself serves; publishing them would hide its data, as expvar forbids. */
  private static final Set<String> RESERVED = Set.of("cmdline", "memstats", "jvm");

  private static final Map<String, Supplier<?>> published = new TreeMap<>();

  private Vars() {}

  /**
   * Publishes {@code value} under {@code name}. The supplier is called on the server's worker
   * thread for each request; it should be quick and thread-safe. If it throws, the var is written
   * as {@code null} and the failure reported once on stderr.
   *
   * @throws IllegalArgumentException if the name is already published, as expvar panics on "Reuse
   *     of exported var name"
   */
  public static void publish(String name, Supplier<?> value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    synchronized (published) {
      if (RESERVED.contains(name) || published.containsKey(name)) {
        throw new IllegalArgumentException("Reuse of exported var name: " + name);
      }
      published.put(name, value);
    }
  }

  /** Every published var by name, sorted by name (expvar's Do order). A copy. */
  public static Map<String, Supplier<?>> all() {
    synchronized (published) {
      return Collections.unmodifiableMap(new TreeMap<>(published));
    }
  }
}
