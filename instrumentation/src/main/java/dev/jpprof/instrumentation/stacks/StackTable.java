package dev.jpprof.instrumentation.stacks;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Buckets keyed by a stack and a long discriminator (the heap profile's object size; 0 for block
 * and mutex), capped: once {@code maxBuckets} distinct keys exist, further samples go to one
 * overflow bucket whose stack is {@link #OVERFLOW_FRAME} alone, and are counted. The heap, block
 * and mutex recorders all keep their buckets here, with the same cap (the agent's {@code
 * alloc.maxBuckets}).
 *
 * <p>Not thread-safe: the owning recorder guards it with its lock, which only its own daemon and
 * snapshot readers take.
 *
 * @param <B> the recorder's mutable bucket
 */
public final class StackTable<B> {
  /** The one frame of the bucket that receives samples once the bucket cap is reached. */
  public static final StackTraceElement OVERFLOW_FRAME =
      new StackTraceElement("jpprof", "bucketOverflow", null, -1);

  private final int maxBuckets;
  private final BiFunction<StackTraceElement[], Long, B> factory;
  private final Map<Key, B> buckets = new HashMap<>();
  private final B overflow;
  private long overflowSamples;

  /**
   * @param factory makes the bucket for a new (frames, discriminator); called with {@link
   *     #OVERFLOW_FRAME} and 0 once, for the overflow bucket
   */
  public StackTable(int maxBuckets, BiFunction<StackTraceElement[], Long, B> factory) {
    this.maxBuckets = maxBuckets;
    this.factory = factory;
    this.overflow = factory.apply(new StackTraceElement[] {OVERFLOW_FRAME}, 0L);
  }

  /** The bucket for these frames (not copied: the caller hands them over), or the overflow one. */
  public B bucket(StackTraceElement[] frames, long discriminator) {
    Key key = new Key(frames, discriminator);
    B b = buckets.get(key);
    if (b == null) {
      if (buckets.size() >= maxBuckets) {
        overflowSamples++;
        return overflow;
      }
      b = factory.apply(frames, discriminator);
      buckets.put(key, b);
    }
    return b;
  }

  /**
   * The overflow bucket, counting {@code samples} more in it: for samples dropped before they had a
   * stack (a recorder under pressure), merged there so that totals stay right.
   */
  public B spill(long samples) {
    overflowSamples += samples;
    return overflow;
  }

  /** The regular buckets, without the overflow one. */
  public Collection<B> buckets() {
    return buckets.values();
  }

  public B overflow() {
    return overflow;
  }

  /** Samples that went to the overflow bucket because the cap was reached. */
  public long overflowSamples() {
    return overflowSamples;
  }

  /** Regular buckets, plus one if the overflow bucket was ever used. */
  public int size() {
    return buckets.size() + (overflowSamples > 0 ? 1 : 0);
  }

  /**
   * Drops the hooks' and recorders' frames at the top of a stack (JDK frames such as {@code
   * ReentrantLock.unlock} stay, as Go keeps {@code sync.(*Mutex).Unlock}), and keeps at most {@code
   * depth} frames.
   */
  public static StackTraceElement[] trim(StackTraceElement[] all, int depth) {
    int from = 0;
    while (from < all.length && isOwnFrame(all[from].getClassName())) {
      from++;
    }
    return Arrays.copyOfRange(all, from, Math.min(all.length, from + depth));
  }

  /** At most {@code depth} frames of a stack that has no hook frames (e.g. from JFR); a copy. */
  public static StackTraceElement[] cap(StackTraceElement[] frames, int depth) {
    return Arrays.copyOf(frames, Math.min(frames.length, depth));
  }

  private static boolean isOwnFrame(String className) {
    // Only these two packages: the application may live under dev.jpprof too (our demos do).
    return className.startsWith("dev.jpprof.bootstrap.")
        || className.startsWith("dev.jpprof.instrumentation.");
  }

  private static final class Key {
    final StackTraceElement[] frames;
    final long discriminator;
    final int hash;

    Key(StackTraceElement[] frames, long discriminator) {
      this.frames = frames;
      this.discriminator = discriminator;
      this.hash = Arrays.hashCode(frames) * 31 + Long.hashCode(discriminator);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key
          && ((Key) o).discriminator == discriminator
          && Arrays.equals(((Key) o).frames, frames);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
