package dev.jpprof.agent.heap;

import java.util.Arrays;

/**
 * The JVMTI engine's shortcut from a sample as libjpprof packs it (size, then one {@code long} per
 * frame: method index and line) to its bucket, so that a sample of a stack seen before costs one
 * hash over a slice of the collected array: no StackTraceElement, array or boxed key. Only a stack
 * not seen before is turned into StackTraceElements and looked up in the engine's StackTable (which
 * keeps the bucket cap and the overflow semantics).
 *
 * <p>Open addressing over arrays; at most {@code maxEntries} stacks (then emptied, and filled again
 * on demand: it is a cache). Not thread-safe: the engine's lock guards it.
 *
 * @param <V> the bucket
 */
final class PackedStacks<V> {
  private final int maxEntries;
  private final int mask;
  private final long[][] frames;
  private final long[] sizes;
  private final int[] hashes;
  private final Object[] values;
  private int count;

  PackedStacks(int maxEntries) {
    int slots = 2;
    while (slots < 2 * maxEntries) {
      slots <<= 1;
    }
    this.maxEntries = maxEntries;
    this.mask = slots - 1;
    this.frames = new long[slots][];
    this.sizes = new long[slots];
    this.hashes = new int[slots];
    this.values = new Object[slots];
  }

  /** The value of {@code a[from .. from + depth)} with this size, or null. */
  @SuppressWarnings("unchecked")
  V get(long[] a, int from, int depth, long size) {
    int h = hash(a, from, depth, size);
    for (int slot = h & mask; frames[slot] != null; slot = (slot + 1) & mask) {
      if (hashes[slot] == h
          && sizes[slot] == size
          && frames[slot].length == depth
          && Arrays.equals(frames[slot], 0, depth, a, from, from + depth)) {
        return (V) values[slot];
      }
    }
    return null;
  }

  /** Remembers a value for a stack that {@link #get} did not find (a copy of the slice is kept). */
  void put(long[] a, int from, int depth, long size, V value) {
    if (count >= maxEntries) {
      Arrays.fill(frames, null);
      Arrays.fill(values, null);
      count = 0;
    }
    int h = hash(a, from, depth, size);
    int slot = h & mask;
    while (frames[slot] != null) {
      slot = (slot + 1) & mask;
    }
    frames[slot] = Arrays.copyOfRange(a, from, from + depth);
    sizes[slot] = size;
    hashes[slot] = h;
    values[slot] = value;
    count++;
  }

  int size() {
    return count;
  }

  private static int hash(long[] a, int from, int depth, long size) {
    long h = size * 0x9E3779B97F4A7C15L;
    for (int i = from; i < from + depth; i++) {
      h = (h ^ a[i]) * 0x9E3779B97F4A7C15L;
    }
    return (int) (h ^ (h >>> 32));
  }
}
