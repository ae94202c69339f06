package dev.jpprof.agent.locks;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.AgentThreadGroup;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Who holds the contended monitors, for the mutex profile of {@code synchronized}: the JVM reports
 * a contended monitor entry only when it ends (JFR's {@code jdk.JavaMonitorEnter}, with the thread
 * that released it as {@code previousOwner}) and has no release hook, so the release stack Go
 * records cannot be had. Instead a daemon thread, {@code jpprof-monitor-owners}, runs only while
 * monitor contention was seen in the last {@link #ACTIVE_NANOS}: every {@link #PERIOD_MILLIS} ms it
 * asks ThreadMXBean which threads are BLOCKED on a monitor and who owns it, and takes each owner's
 * stack. An event is charged to the sample of its previousOwner holding a monitor of the same class
 * nearest to the wait (see {@link #holder}); with none to {@link #LOST}, as Go charges runtime
 * locks it cannot attribute.
 */
final class MonitorOwners implements Runnable {
  static final long PERIOD_MILLIS = 10;
  static final long ACTIVE_NANOS = 2_000_000_000L;

  /** How far outside a wait the sample charged for it may be. */
  static final long MATCH_MILLIS = 100;

  /** Samples are matched to events JFR delivers about a second late; keep a few seconds. */
  private static final long KEEP_NANOS = 5_000_000_000L;

  private static final int MAX_PER_OWNER = 64;

  /** The holder's stack when no sample of it matches an event. */
  static final StackTraceElement[] LOST = {
    new StackTraceElement("jpprof", "MonitorHolderNotSampled", null, -1)
  };

  private final int depth;
  private final Map<Long, Deque<Sample>> byOwner = new ConcurrentHashMap<>();
  private volatile long lastContention = System.nanoTime() - 2 * ACTIVE_NANOS;
  private volatile boolean closed;
  private Thread thread;
  private ThreadMXBean mx;

  MonitorOwners(int depth) {
    this.depth = depth;
  }

  /** One owner stack: when, the class of the monitor it held, its frames. */
  private static final class Sample {
    final Instant time;
    final String monitorClass;
    final StackTraceElement[] frames;

    Sample(Instant time, String monitorClass, StackTraceElement[] frames) {
      this.time = time;
      this.monitorClass = monitorClass;
      this.frames = frames;
    }
  }

  /** Called for every contended monitor event: (re)starts sampling for the next seconds. */
  synchronized void contentionSeen() {
    lastContention = System.nanoTime();
    if (closed) {
      return;
    }
    if (thread == null) {
      thread = AgentThreadGroup.daemon(this, "jpprof-monitor-owners");
      thread.start();
    } else {
      LockSupport.unpark(thread);
    }
  }

  synchronized void close() {
    closed = true;
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  public void run() {
    try {
      mx = ManagementFactory.getThreadMXBean();
      while (!closed) {
        if (System.nanoTime() - lastContention > ACTIVE_NANOS) {
          byOwner.clear();
          LockSupport.park(this); // until contentionSeen or close
          continue;
        }
        sample();
        Thread.sleep(PERIOD_MILLIS);
      }
    } catch (InterruptedException e) {
      // The JVM is going down; sampling just stops.
    } catch (Throwable t) {
      AgentLog.failure(
          "monitor owner sampling (mutex of synchronized is charged to "
              + LOST[0].getClassName()
              + "."
              + LOST[0].getMethodName()
              + " from now on)",
          t);
    }
  }

  /** The owners of the monitors threads are BLOCKED on, with their stacks now. */
  private void sample() {
    ThreadInfo[] all = mx.getThreadInfo(mx.getAllThreadIds(), 0);
    Map<Long, String> owners = new HashMap<>();
    for (ThreadInfo t : all) {
      if (t != null
          && t.getThreadState() == Thread.State.BLOCKED
          && t.getLockOwnerId() >= 0
          && t.getLockInfo() != null) {
        owners.put(t.getLockOwnerId(), t.getLockInfo().getClassName());
      }
    }
    if (owners.isEmpty()) {
      return;
    }
    long[] ids = new long[owners.size()];
    int n = 0;
    for (long id : owners.keySet()) {
      ids[n++] = id;
    }
    Instant now = Instant.now();
    for (ThreadInfo owner : mx.getThreadInfo(ids, depth)) {
      if (owner == null || owner.getThreadName().startsWith("jpprof-")) {
        continue;
      }
      add(owner.getThreadId(), now, owners.get(owner.getThreadId()), owner.getStackTrace());
    }
    prune(now);
  }

  /** Keeps one owner sample, dropping that owner's samples past the count or age limit. */
  void add(long ownerId, Instant now, String monitorClass, StackTraceElement[] frames) {
    Deque<Sample> samples = byOwner.computeIfAbsent(ownerId, k -> new ArrayDeque<>());
    synchronized (samples) {
      samples.addLast(new Sample(now, monitorClass, frames));
      while (samples.size() > MAX_PER_OWNER
          || now.minusNanos(KEEP_NANOS).isAfter(samples.peekFirst().time)) {
        samples.removeFirst();
      }
    }
  }

  private void prune(Instant now) {
    List<Long> empty = new ArrayList<>();
    for (Map.Entry<Long, Deque<Sample>> e : byOwner.entrySet()) {
      synchronized (e.getValue()) {
        Sample last = e.getValue().peekLast();
        if (last == null || now.minusNanos(KEEP_NANOS).isAfter(last.time)) {
          empty.add(e.getKey());
        }
      }
    }
    byOwner.keySet().removeAll(empty);
  }

  /**
   * The stack of {@code ownerId} holding a monitor of {@code monitorClass} sampled nearest to the
   * wait from {@code start} to {@code end}, at most {@link #MATCH_MILLIS} ms outside it; {@link
   * #LOST} if none. The sampler rarely lands inside a short wait (it runs every 10 ms at best,
   * later on a busy machine, and sees one owner at a time), so the nearest sample of the same owner
   * holding the same class of monitor stands for the holder's stack: right for code that takes one
   * monitor in one place, an approximation for code that holds monitors of one class in several
   * places within that time.
   */
  StackTraceElement[] holder(long ownerId, String monitorClass, Instant start, Instant end) {
    Deque<Sample> samples = byOwner.get(ownerId);
    if (samples == null) {
      return LOST;
    }
    StackTraceElement[] best = LOST;
    long bestDistance = MATCH_MILLIS * 1_000_000L;
    synchronized (samples) {
      for (Sample s : samples) {
        long distance =
            s.time.isBefore(start)
                ? Duration.between(s.time, start).toNanos()
                : s.time.isAfter(end) ? Duration.between(end, s.time).toNanos() : 0;
        if (distance <= bestDistance && s.monitorClass.equals(monitorClass)) {
          best = s.frames;
          bestDistance = distance;
        }
      }
    }
    return best;
  }
}
