package dev.jpprof.agent;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP half of the agent's counters: responses written and their body bytes, by endpoint and
 * status code, counted once where the server writes a response. The endpoint is a row of the
 * endpoint table (or "other"), never the request's own path, so the label set stays small whatever
 * clients ask for. /metrics shows them.
 */
public final class Requests {
  /** The endpoint of a request no row answered: a 404, or one refused before routing. */
  public static final String OTHER = "other";

  private static final Map<Key, Count> counts = new ConcurrentHashMap<>();

  private Requests() {}

  /** Counts one response to {@code endpoint} with {@code status} and {@code bytes} of body. */
  public static void answered(String endpoint, int status, long bytes) {
    Count c = counts.computeIfAbsent(new Key(endpoint, status), k -> new Count());
    c.responses.increment();
    c.bytes.add(bytes);
  }

  /** Every (endpoint, status) seen so far with {responses, bytes}, sorted. */
  public static Map<Key, long[]> snapshot() {
    Map<Key, long[]> out = new TreeMap<>();
    counts.forEach((k, c) -> out.put(k, new long[] {c.responses.sum(), c.bytes.sum()}));
    return out;
  }

  /** An endpoint and a status code. */
  public static final class Key implements Comparable<Key> {
    public final String endpoint;
    public final int status;

    Key(String endpoint, int status) {
      this.endpoint = endpoint;
      this.status = status;
    }

    @Override
    public int compareTo(Key o) {
      int c = endpoint.compareTo(o.endpoint);
      return c != 0 ? c : Integer.compare(status, o.status);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).endpoint.equals(endpoint) && ((Key) o).status == status;
    }

    @Override
    public int hashCode() {
      return Objects.hash(endpoint, status);
    }
  }

  private static final class Count {
    final LongAdder responses = new LongAdder();
    final LongAdder bytes = new LongAdder();
  }
}
