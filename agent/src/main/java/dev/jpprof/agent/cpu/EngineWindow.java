package dev.jpprof.agent.cpu;

import java.util.Map;

/**
 * One engine's side of a {@link CpuProfiler.Window}: the engines differ in how they collect samples
 * (async-profiler chunks, a JDK recording), never in how the profile is built.
 */
interface EngineWindow {
  /**
   * Ends the window and returns what it sampled. Blocking.
   *
   * @throws CpuProfilerException if the window is already closed or sampling failed
   */
  Samples finish() throws CpuProfilerException;

  /** Ends the window without reading its samples (client gone). Idempotent, never throws. */
  void cancel();

  /** The samples of one window, counted per (thread, stack), and the profile comment. */
  final class Samples {
    final Map<Stack, Long> counts;

    /** Names the engine that took them, e.g. {@code jpprof cpu: jfr ExecutionSample ...}. */
    final String comment;

    Samples(Map<Stack, Long> counts, String comment) {
      this.counts = counts;
      this.comment = comment;
    }
  }
}
