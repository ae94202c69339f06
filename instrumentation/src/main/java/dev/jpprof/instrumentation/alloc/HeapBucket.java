package dev.jpprof.instrumentation.alloc;

/**
 * One allocation profile record, as of a {@link AllocSampler#snapshot()}: sampled allocations that
 * share a stack and an object size, with how many of them have been freed since. Values are raw
 * sample counts; scaling them up by the sampling rate (Go's unsampling) is the caller's job.
 */
public final class HeapBucket {
  private final StackTraceElement[] frames;
  private final long objectSize;
  private final long allocObjects;
  private final long allocBytes;
  private final long freeObjects;
  private final long freeBytes;
  private final boolean overflow;

  public HeapBucket(
      StackTraceElement[] frames,
      long objectSize,
      long allocObjects,
      long allocBytes,
      long freeObjects,
      long freeBytes,
      boolean overflow) {
    this.frames = frames;
    this.objectSize = objectSize;
    this.allocObjects = allocObjects;
    this.allocBytes = allocBytes;
    this.freeObjects = freeObjects;
    this.freeBytes = freeBytes;
    this.overflow = overflow;
  }

  /** The allocating stack, leaf (the allocating method) first; a copy. */
  public StackTraceElement[] frames() {
    return frames.clone();
  }

  /** The size in bytes of each object in this bucket; 0 for the overflow bucket. */
  public long objectSize() {
    return objectSize;
  }

  /** Sampled allocations. */
  public long allocObjects() {
    return allocObjects;
  }

  /** Bytes of the sampled allocations. */
  public long allocBytes() {
    return allocBytes;
  }

  /** Sampled allocations seen freed by the garbage collector. */
  public long freeObjects() {
    return freeObjects;
  }

  /** Bytes of the sampled allocations seen freed. */
  public long freeBytes() {
    return freeBytes;
  }

  /** Sampled allocations still live: alloc - free. */
  public long inuseObjects() {
    return allocObjects - freeObjects;
  }

  /** Bytes of the sampled allocations still live. */
  public long inuseBytes() {
    return allocBytes - freeBytes;
  }

  /**
   * True for the one bucket into which samples go once the bucket cap is reached; its single frame
   * is {@link AllocRecorder#OVERFLOW_FRAME}.
   */
  public boolean isOverflow() {
    return overflow;
  }
}
