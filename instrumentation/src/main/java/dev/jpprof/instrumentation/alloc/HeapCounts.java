package dev.jpprof.instrumentation.alloc;

import dev.jpprof.instrumentation.stacks.StackTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The mutable counts behind one {@link HeapBucket}, kept by whichever heap engine records them (the
 * bytecode engine here, the agent's JVMTI and JFR engines) under that engine's own lock.
 */
public final class HeapCounts {
  public final StackTraceElement[] frames;
  public final long size;
  public long allocObjects;
  public long allocBytes;
  public long freeObjects;
  public long freeBytes;

  /** Frames leaf first, handed over (not copied); {@code size} the object size, or 0. */
  public HeapCounts(StackTraceElement[] frames, long size) {
    this.frames = frames;
    this.size = size;
  }

  /** Counts one more sampled allocation of {@code bytes}. */
  public void alloc(long objects, long bytes) {
    allocObjects += objects;
    allocBytes += bytes;
  }

  /** Counts one more freed sampled allocation of {@code bytes}. */
  public void free(long objects, long bytes) {
    freeObjects += objects;
    freeBytes += bytes;
  }

  /** An immutable copy, as of now. */
  public HeapBucket toHeapBucket(boolean overflow) {
    return new HeapBucket(frames, size, allocObjects, allocBytes, freeObjects, freeBytes, overflow);
  }

  /**
   * A capped table of these (see {@link StackTable}). The factory is a class, not a lambda: the
   * JVMTI engine makes its table in premain, where the first lambda costs start time.
   */
  public static StackTable<HeapCounts> table(int maxBuckets) {
    return new StackTable<>(
        maxBuckets,
        new BiFunction<StackTraceElement[], Long, HeapCounts>() {
          @Override
          public HeapCounts apply(StackTraceElement[] frames, Long size) {
            return new HeapCounts(frames, size);
          }
        });
  }

  /** Every bucket of a table as of now, the overflow bucket last if anything went there. */
  public static List<HeapBucket> snapshot(StackTable<HeapCounts> table) {
    List<HeapBucket> out = new ArrayList<>(table.size());
    for (HeapCounts b : table.buckets()) {
      out.add(b.toHeapBucket(false));
    }
    if (table.overflow().allocObjects > 0) {
      out.add(table.overflow().toHeapBucket(true));
    }
    return out;
  }
}
