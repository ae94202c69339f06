package dev.jpprof.instrumentation.locks;

/**
 * One block or mutex profile record, as of a snapshot: a stack with its contention count and total
 * delay, already unbiased/pre-scaled as Go stores them (docs/protocol.md §11). Immutable.
 */
public final class ContentionRecord {
  private final StackTraceElement[] frames;
  private final long count;
  private final long delayNanos;
  private final boolean overflow;

  ContentionRecord(StackTraceElement[] frames, long count, long delayNanos, boolean overflow) {
    this.frames = frames;
    this.count = count;
    this.delayNanos = delayNanos;
    this.overflow = overflow;
  }

  /** The waiter's (block) or releaser's (mutex) stack, leaf first; a copy. */
  public StackTraceElement[] frames() {
    return frames.clone();
  }

  /** Contentions: Go's {@code int64(count)} of the float count it accumulates. */
  public long count() {
    return count;
  }

  /** Total delay in nanoseconds. */
  public long delayNanos() {
    return delayNanos;
  }

  /**
   * True for the one record that collects events once the bucket cap is reached; its only frame is
   * {@link dev.jpprof.instrumentation.stacks.StackTable#OVERFLOW_FRAME}.
   */
  public boolean isOverflow() {
    return overflow;
  }
}
