package dev.jpprof.agent;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's own counters, shown under {@code jvm.agent} in /debug/vars and as {@code jpprof_*} in
 * /metrics (dev.jpprof.agent.metrics.CounterNames names them there): what the engines did (samples
 * taken and dropped, profiles encoded and the time it took, errors). Any engine adds to a counter
 * by name; adding is cheap and never blocks.
 */
public final class Counters {
  private static final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

  private Counters() {}

  /** Adds {@code delta} to the counter {@code name}, creating it at 0 on first use. */
  public static void add(String name, long delta) {
    counters.computeIfAbsent(name, k -> new LongAdder()).add(delta);
  }

  /** Every counter's current value, sorted by name. */
  public static Map<String, Long> snapshot() {
    Map<String, Long> values = new TreeMap<>();
    counters.forEach((name, adder) -> values.put(name, adder.sum()));
    return values;
  }
}
