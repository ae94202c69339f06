package dev.jpprof.agent.cpu;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * CPU samples from the JDK's Flight Recorder ({@code jdk.ExecutionSample}), for JVMs where
 * async-profiler cannot run. Each window records on its own ({@link JfrWindow}). Compared with
 * async-profiler: Java frames only, the JDK samples a few running threads per period (so busy
 * processes with many threads get fewer samples than CPU time), and stacks are cut at JFR's stack
 * depth (64 unless {@code -XX:FlightRecorderOptions:stackdepth=} says otherwise).
 *
 * <p>Loading this class loads nothing from {@code jdk.jfr}; opening the first window does.
 */
final class JfrEngine {
  private final long intervalNanos;
  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean used;

  JfrEngine(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /**
   * Starts a recording for a new window.
   *
   * @throws CpuProfilerException if the Flight Recorder cannot start here
   */
  EngineWindow open() throws CpuProfilerException {
    try {
      EngineWindow window = JfrWindow.start(intervalNanos, comment(), open::decrementAndGet);
      open.incrementAndGet();
      used = true;
      return window;
    } catch (RuntimeException | LinkageError e) {
      // LinkageError: a runtime image built without the jdk.jfr module.
      throw new CpuProfilerException("Could not enable CPU profiling: JFR: " + e, e);
    }
  }

  /**
   * e.g. "JFR execution samples, interval 10ms" followed by {@code note}, then ", idle" once a
   * window has ended and none is open.
   */
  String describe(String note) {
    String idle = used && open.get() == 0 ? ", idle" : "";
    return "JFR execution samples, interval "
        + CpuProfiler.formatInterval(intervalNanos)
        + note
        + idle;
  }

  private String comment() {
    return "jpprof cpu: jfr ExecutionSample interval=" + CpuProfiler.formatInterval(intervalNanos);
  }
}
