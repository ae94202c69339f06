package dev.jpprof.agent.push;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.LongSupplier;

/**
 * The process's CPU time, for the threshold: all threads, the JVM's own included, as go-zero's
 * measure is the whole process's. Loaded only when push.cpuThreshold is set, on the push thread,
 * long after premain.
 */
final class ProcessCpu {
  private ProcessCpu() {}

  /** Nanoseconds of CPU used so far, or -1 where the JVM does not say. */
  static LongSupplier reader() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      com.sun.management.OperatingSystemMXBean sun = (com.sun.management.OperatingSystemMXBean) os;
      return sun::getProcessCpuTime;
    }
    return () -> -1;
  }
}
