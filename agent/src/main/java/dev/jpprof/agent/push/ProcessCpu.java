package dev.jpprof.agent.push;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * The process's CPU time, for the threshold: all threads, the JVM's own included, as go-zero's
 * measure is the whole process's, but without the push thread's own (building and sending profiles
 * must not keep profiling on by itself). Loaded only when push.cpuThreshold is set, on the push
 * thread, long after premain.
 */
final class ProcessCpu {
  private ProcessCpu() {}

  /**
   * Nanoseconds of CPU used so far by every thread but the caller (the push thread), or -1 where
   * the JVM does not say.
   */
  static LongSupplier reader() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof com.sun.management.OperatingSystemMXBean)) {
      return () -> -1;
    }
    com.sun.management.OperatingSystemMXBean process =
        (com.sun.management.OperatingSystemMXBean) os;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean own = threads.isCurrentThreadCpuTimeSupported();
    return () -> {
      long all = process.getProcessCpuTime();
      if (all < 0 || !own) {
        return all;
      }
      long mine = threads.getCurrentThreadCpuTime();
      return mine < 0 ? all : all - mine;
    };
  }
}
