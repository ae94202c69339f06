package dev.jpprof.agent.locks;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.instrumentation.locks.LockProfiler;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The block and mutex engines together: {@link LockProfiler}'s j.u.c. hooks and recorder, and the
 * JFR monitor stream for {@code synchronized} and {@code Object.wait}. Installed on the agent's
 * start thread after the server, only once block.rate or mutex.fraction is on (at start or through
 * {@link #apply}, the attach command); the JFR stream runs only while one of them is above 0.
 */
public final class LockEngine {
  private final AtomicReference<LockProfiler> profiler = new AtomicReference<>();
  private final int depth;
  private final int maxBuckets;
  private volatile String hooks = "";
  private volatile boolean ready;
  private Instrumentation inst;
  private volatile String monitors = "off";
  private MonitorEvents events;

  /**
   * @param depth the most frames kept per stack
   * @param maxBuckets the most records per profile (alloc.maxBuckets, as for heap); more are merged
   *     into one overflow record
   */
  public LockEngine(int depth, int maxBuckets) {
    this.depth = depth;
    this.maxBuckets = maxBuckets;
  }

  /** The recorder, or null before {@link #install}: for the block and mutex sources. */
  public Supplier<LockProfiler> profiler() {
    return profiler::get;
  }

  /**
   * Called on the agent's start thread after the server. When block.rate or mutex.fraction is on,
   * installs the j.u.c. hooks (the recorder alone when they fail) and the JFR monitor stream; when
   * both are off, nothing: no class is retransformed and no JFR or JMX class is loaded until {@link
   * #apply} turns one on. Never throws.
   */
  public synchronized void install(Instrumentation inst, long blockRate, int mutexFraction) {
    this.inst = inst;
    hooks = "no j.u.c. hooks installed until block.rate or mutex.fraction is turned on";
    if (blockRate > 0 || mutexFraction > 0) {
      set(recorder(), blockRate, mutexFraction);
    }
    ready = true; // last: the index says "not installed yet" until the hooks are in
  }

  /** The recorder, installing the hooks the first time. */
  private LockProfiler recorder() {
    LockProfiler p = profiler.get();
    if (p != null) {
      return p;
    }
    try {
      p = LockProfiler.install(inst, depth, maxBuckets);
      hooks = "j.u.c. hooks installed";
    } catch (Throwable t) {
      AgentLog.info(
          "j.u.c. lock hooks off (block and mutex see only synchronized and Object.wait): "
              + AgentLog.describe(t));
      hooks =
          "j.u.c. hooks not installed ("
              + AgentLog.describe(t)
              + "); only synchronized and"
              + " Object.wait are seen";
      p = LockProfiler.recorderOnly(depth, maxBuckets);
    }
    profiler.set(p);
    return p;
  }

  /**
   * Sets the rates at run time; returns one line per key saying what changed, or a line starting
   * "error: ". A null leaves that key as it is.
   */
  public synchronized List<String> apply(Long blockRate, Integer mutexFraction) {
    List<String> changes = new ArrayList<>();
    if (!ready) {
      changes.add("error: the lock engine is not installed yet; try again in a second");
      return changes;
    }
    LockProfiler now = profiler.get();
    long oldRate = now == null ? 0 : now.blockRate();
    int oldFraction = now == null ? 0 : now.mutexFraction();
    long rate = blockRate == null ? oldRate : blockRate;
    int fraction = mutexFraction == null ? oldFraction : mutexFraction;
    if (blockRate != null) {
      changes.add("block.rate " + oldRate + "ns -> " + rate + "ns");
    }
    if (mutexFraction != null) {
      changes.add("mutex.fraction " + oldFraction + " -> " + fraction);
    }
    if (now != null || rate > 0 || fraction > 0) {
      set(recorder(), rate, fraction);
    }
    return changes;
  }

  private void set(LockProfiler p, long blockRate, int mutexFraction) {
    p.setBlockRate(blockRate);
    p.setMutexFraction(mutexFraction);
    boolean on = blockRate > 0 || mutexFraction > 0;
    if (on && events == null) {
      try {
        events = MonitorEvents.start(p, depth);
        monitors =
            "JFR jdk.JavaMonitorEnter/jdk.JavaMonitorWait over "
                + MonitorEvents.THRESHOLD.toMillis()
                + " ms";
      } catch (ClassNotFoundException e) {
        monitors =
            "not seen: this JDK has no jdk.jfr.consumer.RecordingStream (JDK 14+);"
                + " j.u.c. waits are still recorded";
      } catch (Throwable t) {
        AgentLog.info("synchronized and Object.wait not profiled: " + AgentLog.describe(t));
        monitors = "not seen: JFR stream failed (" + AgentLog.describe(t) + ")";
      }
    } else if (!on && events != null) {
      events.close();
      events = null;
      monitors = "off";
    }
  }

  /** The index page's lines on block and mutex. */
  public String status() {
    LockProfiler p = profiler.get();
    long rate = p == null ? 0 : p.blockRate();
    int fraction = p == null ? 0 : p.mutexFraction();
    String rates =
        !ready
            ? "not installed yet"
            : "block.rate "
                + rate
                + " ns"
                + (rate == 0 ? " (off)" : "")
                + ", mutex.fraction "
                + fraction
                + (fraction == 0 ? " (off)" : "")
                + (p == null ? "" : "; " + p.status());
    return "block and mutex: "
        + rates
        + "; "
        + hooks
        + "\n"
        + "block and mutex of synchronized and Object.wait: "
        + monitors
        + ". Block: the waiting"
        + " thread's stack and its wait, for waits over the threshold only. Mutex of synchronized:"
        + " the JVM has no release hook, so while monitor contention was seen in the last 2 s a"
        + " jpprof-monitor-owners thread asks ThreadMXBean every "
        + MonitorOwners.PERIOD_MILLIS
        + " ms which threads are BLOCKED and takes the stack of each monitor's owner; a wait is"
        + " charged to the stack of the thread that released the monitor to the waiter"
        + " (JFR's previousOwner), sampled holding a monitor of the same class during the wait or"
        + " nearest to it (at most "
        + MonitorOwners.MATCH_MILLIS
        + " ms away) — so it is the"
        + " holder's stack at contention time, not at release — or to"
        + " jpprof.MonitorHolderNotSampled when there is no such sample (e.g. the first second of"
        + " contention, before sampling starts). Mutex of j.u.c. locks: the stack that released the lock.";
  }
}
