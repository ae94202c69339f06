package dev.jpprof.agent.threads;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How long each thread has waited, for debug=2's {@code [chan receive, 12 minutes]}. The JVM does
 * not say when a wait began, so each dump compares a thread with the previous dump: a thread found
 * waiting in the same place (same reason, same stack) has waited at least since it was first seen
 * there. Costs one map entry a thread, replaced on each dump, so ended threads drop out. A thread
 * dumped for the first time shows no minutes, which Go also omits under a minute.
 */
final class WaitClock {
  private Map<Long, Seen> seen = new HashMap<>();

  private static final class Seen {
    final int where;
    final long sinceNanos;

    Seen(int where, long sinceNanos) {
      this.where = where;
      this.sinceNanos = sinceNanos;
    }
  }

  /** Records this dump and returns each waiting thread's whole minutes waited, by thread id. */
  synchronized Map<Long, Long> minutes(
      Iterable<ThreadSample> threads, Map<Long, String> reasons, long nowNanos) {
    Map<Long, Seen> next = new HashMap<>();
    Map<Long, Long> minutes = new HashMap<>();
    for (ThreadSample t : threads) {
      String reason = reasons.get(t.id);
      if (reason == null || reason.equals("running") || reason.equals("runnable")) {
        continue; // Go prints minutes for blocked goroutines only
      }
      int where = 31 * reason.hashCode() + Arrays.hashCode(t.stack);
      Seen before = seen.get(t.id);
      Seen now = before != null && before.where == where ? before : new Seen(where, nowNanos);
      next.put(t.id, now);
      minutes.put(t.id, (nowNanos - now.sinceNanos) / 60_000_000_000L);
    }
    seen = next;
    return minutes;
  }
}
