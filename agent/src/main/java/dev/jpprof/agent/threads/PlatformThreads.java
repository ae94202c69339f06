package dev.jpprof.agent.threads;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Platform threads from ThreadMXBean: one safepoint for all stacks, with each thread's state and
 * the lock it waits for (which {@code Thread.getAllStackTraces()} does not give). JMX is first
 * touched here, on the first request, never in premain.
 */
final class PlatformThreads {
  private PlatformThreads() {}

  /** Every live platform thread, stacks cut at {@code maxDepth} frames. */
  static List<ThreadSample> dump(int maxDepth) {
    ThreadInfo[] infos = bean().dumpAllThreads(false, false, maxDepth);
    List<ThreadSample> threads = new ArrayList<>(infos.length);
    for (ThreadInfo info : infos) {
      if (info != null) { // a thread that ended during the dump
        threads.add(
            new ThreadSample(
                info.getThreadId(),
                info.getThreadName(),
                info.getThreadState(),
                false,
                info.getLockName(),
                info.getStackTrace()));
      }
    }
    return threads;
  }

  /** Live platform threads; cheap (no stacks), so the index page may call it. */
  static int count() {
    return bean().getThreadCount();
  }

  private static ThreadMXBean bean() {
    return ManagementFactory.getThreadMXBean();
  }
}
