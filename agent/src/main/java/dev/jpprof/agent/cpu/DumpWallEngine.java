package dev.jpprof.agent.cpu;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.AgentThreadGroup;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Wall-clock samples where async-profiler cannot run: every platform thread's stack and state from
 * one ThreadMXBean dump per period, which is how Go's fgprof samples goroutines. Not JFR: its
 * execution samples cover threads running Java code and its native-method samples threads in native
 * code, but nothing samples threads parked, waiting or sleeping in Java, the off-CPU time a wall
 * profile is for.
 *
 * <p>A dump stops the JVM at a safepoint, so the sampler never takes more than a tenth of the time:
 * after a dump that took d it waits at least 9 d, and a dump that comes late counts for the periods
 * it covers, so time/nanoseconds still adds up to the wall time. One sampler thread serves every
 * open window and runs only while one is open.
 */
final class DumpWallEngine {
  private final int stackDepth;
  private final Object lock = new Object();
  // Guarded by lock.
  private final Set<DumpWindow> windows = new HashSet<>();
  private boolean sampling;
  private long periodNanos;

  DumpWallEngine(int stackDepth) {
    this.stackDepth = stackDepth;
  }

  /**
   * Opens a window sampling every {@code periodNanos} from now on; {@code why} says why not
   * async-profiler, for the profile's comment.
   *
   * @throws CpuProfilerException if the sampler thread cannot start
   */
  EngineWindow open(long periodNanos, String why) throws CpuProfilerException {
    synchronized (lock) {
      DumpWindow window =
          new DumpWindow(
              "jpprof wall: thread dumps every "
                  + CpuProfiler.formatInterval(periodNanos)
                  + " ("
                  + why
                  + ")");
      windows.add(window);
      this.periodNanos = periodNanos;
      if (!sampling) {
        try {
          AgentThreadGroup.daemon(this::sample, "jpprof-wall").start();
          sampling = true;
        } catch (RuntimeException | OutOfMemoryError e) {
          windows.remove(window);
          throw new CpuProfilerException(
              "Could not enable wall-clock profiling: no sampler thread: " + e, e);
        }
      }
      return window;
    }
  }

  /** The sampler thread: dumps until no window is open. */
  private void sample() {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    long last = 0;
    try {
      while (true) {
        long period;
        synchronized (lock) {
          if (windows.isEmpty()) {
            sampling = false;
            return;
          }
          period = periodNanos;
        }
        long start = System.nanoTime();
        ThreadInfo[] infos = bean.dumpAllThreads(false, false, stackDepth);
        long took = System.nanoTime() - start;
        long weight = last == 0 ? 1 : Math.max(1, Math.round((start - last) / (double) period));
        last = start;
        Map<Stack, Long> dump = stacks(infos, self);
        synchronized (lock) {
          for (DumpWindow w : windows) {
            dump.forEach((stack, n) -> w.counts.merge(stack, n * weight, Long::sum));
          }
          // Woken early only when the last window closes: a dump ahead of time would overcount.
          long until = System.nanoTime() + Math.max(period - took, 9 * took);
          for (long left; !windows.isEmpty() && (left = until - System.nanoTime()) > 0; ) {
            lock.wait(Math.max(1, left / 1_000_000));
          }
        }
      }
    } catch (InterruptedException e) {
      stop("interrupted");
    } catch (RuntimeException | LinkageError e) {
      AgentLog.failure("wall-clock thread dumps", e);
      stop(AgentLog.describe(e));
    }
  }

  /** The sampler died: every open window fails with {@code why}. */
  private void stop(String why) {
    synchronized (lock) {
      for (DumpWindow w : windows) {
        w.failure = "Could not collect wall-clock profile: thread dump failed: " + why;
      }
      windows.clear();
      sampling = false;
    }
  }

  /** One dump's stacks, the sampler's own left out. */
  private static Map<Stack, Long> stacks(ThreadInfo[] infos, long self) {
    Map<Stack, Long> stacks = new HashMap<>();
    for (ThreadInfo info : infos) {
      if (info == null || info.getThreadId() == self) {
        continue; // a thread that ended during the dump, or this one
      }
      StackTraceElement[] trace = info.getStackTrace();
      RawFrame[] frames = new RawFrame[trace.length];
      for (int i = 0; i < trace.length; i++) {
        StackTraceElement e = trace[i];
        // Interpreted stands for "a Java frame": a dump does not say how the frame runs.
        frames[i] =
            new RawFrame(
                RawFrame.INTERPRETED,
                e.getClassName(),
                e.getMethodName(),
                "",
                Math.max(0, e.getLineNumber()));
      }
      String state = info.getThreadState().name().toLowerCase(Locale.ROOT);
      stacks.merge(new Stack(info.getThreadName(), state, frames), 1L, Long::sum);
    }
    return stacks;
  }

  private final class DumpWindow implements EngineWindow {
    private final String comment;
    private final Map<Stack, Long> counts = new HashMap<>(); // guarded by lock
    private String failure; // guarded by lock
    private boolean closed; // guarded by lock

    DumpWindow(String comment) {
      this.comment = comment;
    }

    @Override
    public Samples finish() throws CpuProfilerException {
      synchronized (lock) {
        if (failure != null) {
          throw new CpuProfilerException(failure);
        }
        if (closed) {
          throw new CpuProfilerException("wall-clock profile window is already closed");
        }
        close();
        return new Samples(counts, comment);
      }
    }

    @Override
    public void cancel() {
      synchronized (lock) {
        close();
      }
    }

    private void close() {
      closed = true;
      windows.remove(this);
      lock.notifyAll(); // the sampler ends at once when this was the last window
    }
  }
}
