package dev.jpprof.agent.push;

/**
 * go-zero's CPU threshold: profiling runs while the process used more than {@code threshold} per
 * mille of one CPU over the last interval, and for {@code duration} after it last did. 0 means
 * always on.
 */
final class Trigger {
  private final int threshold;
  private final long durationNanos;
  private boolean triggered;
  private long onUntil; // System.nanoTime; valid once triggered

  Trigger(int threshold, long durationNanos) {
    this.threshold = threshold;
    this.durationNanos = durationNanos;
  }

  /**
   * Whether profiling is on after an interval of {@code elapsedNanos} ending at {@code now} in
   * which the process used {@code cpuNanos} of CPU time (negative: unknown, which counts as busy so
   * that a JVM without the measure still pushes).
   */
  boolean update(long now, long cpuNanos, long elapsedNanos) {
    if (threshold == 0) {
      return true;
    }
    if (cpuNanos < 0 || (elapsedNanos > 0 && perMille(cpuNanos, elapsedNanos) > threshold)) {
      triggered = true;
      onUntil = now + durationNanos;
    }
    return triggered && now - onUntil < 0;
  }

  static long perMille(long cpuNanos, long elapsedNanos) {
    return (long) (cpuNanos * 1000.0 / elapsedNanos);
  }
}
