package dev.jpprof.agent.threads;

import dev.jpprof.agent.frames.FrameLines;
import dev.jpprof.pprof.FrameAddresses;
import dev.jpprof.pprof.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Threads grouped as Go's goroutine profile groups goroutines: by identical stack and label set,
 * ordered by count descending, then by the key text ({@code @ 0x… 0x…} and the labels line)
 * ascending. The protobuf and the debug=1 text share this order, as in Go's printCountProfile.
 */
final class GoroutineGroups {
  /**
   * The stack of a thread with no Java frames (JVM threads such as "Signal Dispatcher"). Go's text
   * form would be {@code N @} with nothing after it, which pprof rejects as malformed, so such
   * threads get Go's pseudo-function for code the runtime cannot unwind.
   */
  static final StackTraceElement[] NO_JAVA_FRAMES = {
    new StackTraceElement("runtime", "_ExternalCode", null, -1)
  };

  private GoroutineGroups() {}

  /** One sample: threads sharing a stack and labels. */
  static final class Group {
    /** Leaf first, cut to the profile's stack depth. */
    final StackTraceElement[] stack;

    /** Made-up frame PCs, one per frame ({@link FrameAddresses}). */
    final long[] pcs;

    final Labels labels;
    long count;
    String key;

    Group(StackTraceElement[] stack, long[] pcs, Labels labels) {
      this.stack = stack;
      this.pcs = pcs;
      this.labels = labels;
    }
  }

  static List<Group> of(List<ThreadSample> threads, int depth, FrameAddresses addresses) {
    Map<Key, Group> groups = new HashMap<>();
    for (ThreadSample t : threads) {
      StackTraceElement[] stack =
          t.stack.length == 0
              ? NO_JAVA_FRAMES
              : t.stack.length > depth ? Arrays.copyOf(t.stack, depth) : t.stack;
      long[] pcs = FrameLines.pcs(stack, addresses);
      Labels labels = labels(t);
      groups.computeIfAbsent(new Key(pcs, labels), k -> new Group(stack, pcs, labels)).count++;
    }
    List<Group> sorted = new ArrayList<>(groups.values());
    for (Group g : sorted) {
      g.key = keyText(g.pcs, g.labels);
    }
    sorted.sort(
        (a, b) -> a.count != b.count ? Long.compare(b.count, a.count) : a.key.compareTo(b.key));
    return sorted;
  }

  /** {@code state} (Java's thread state) and {@code pool} where the name shows one. */
  static Labels labels(ThreadSample t) {
    Labels labels = t.state == null ? Labels.NONE : Labels.of("state", t.state.name());
    String pool = PoolName.of(t.name);
    return pool == null ? labels : labels.with("pool", pool);
  }

  /** {@code package.Class.method}, the function name every jpprof profile uses. */
  static String functionName(StackTraceElement e) {
    return FrameLines.functionName(e);
  }

  /** Go's key: the {@code @} line (return addresses, PC + 1) and the labels line if any. */
  static String keyText(long[] pcs, Labels labels) {
    StringBuilder b = new StringBuilder(FrameLines.at(pcs));
    if (labels.size() > 0) {
      b.append("\n# labels: ").append(GoQuote.labels(labels));
    }
    return b.toString();
  }

  private static final class Key {
    final long[] pcs;
    final Labels labels;
    final int hash;

    Key(long[] pcs, Labels labels) {
      this.pcs = pcs;
      this.labels = labels;
      this.hash = 31 * Arrays.hashCode(pcs) + labels.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key
          && Arrays.equals(pcs, ((Key) o).pcs)
          && labels.equals(((Key) o).labels);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
