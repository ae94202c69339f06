package dev.jpprof.bootstrap;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The allocation sampling hooks, Go style: a per-thread byte countdown is charged with the size of
 * every allocation, and the allocation that takes it to zero or below is sampled; the next
 * countdown is drawn from an exponential distribution whose mean is the rate (Go's {@code
 * MemProfileRate}: 1 samples every allocation, 0 none).
 *
 * <p>Rewritten code calls {@link #sample(long)} (or {@link #sampleArray(int, int)}) after every
 * allocation with only the size, so that C2 can still scalar-replace objects that never escape;
 * only when it returns {@code true} does the site hand the object to {@link #sampled(Object,
 * long)}. The fast path allocates nothing, takes no lock and never throws.
 */
public final class AllocHook {
  /** Array kinds passed by rewritten code, in {@code T_BOOLEAN}..{@code T_LONG} order. */
  public static final int BOOLEAN = 0,
      BYTE = 1,
      CHAR = 2,
      SHORT = 3,
      INT = 4,
      FLOAT = 5,
      LONG = 6,
      DOUBLE = 7,
      REFERENCE = 8;

  // The countdowns: one slot per stripe of threads, 128 bytes apart so that threads on
  // different cores do not share a cache line. A ThreadLocal costs ~5 ns; this ~1 ns. Threads
  // whose ids collide share a countdown, which only makes the intervals a little shorter-lived.
  private static final int STRIPES = 64;
  private static final int PAD = 16;
  private static final long[] COUNTDOWN = new long[(STRIPES + 1) * PAD];

  // Array layout: header (base offset) and log2 of the element size per kind. Defaults are
  // HotSpot's with compressed class pointers and oops; the agent calibrates them at start.
  private static final int[] ARRAY_BASE = {16, 16, 16, 16, 16, 16, 16, 16, 16};
  private static final int[] ARRAY_SHIFT = {0, 0, 1, 1, 2, 2, 3, 3, 2};
  private static volatile long alignMask = 7;

  private static volatile long rate;
  private static volatile AllocListener listener;

  static {
    setRate(0);
  }

  private AllocHook() {}

  /**
   * Charges the calling thread's countdown with {@code size} bytes.
   *
   * @return true if this allocation is sampled; the caller then passes it to {@link #sampled}
   */
  public static boolean sample(long size) {
    int i = stripe();
    long left = COUNTDOWN[i] - size;
    if (left > 0) {
      COUNTDOWN[i] = left;
      return false;
    }
    return resample(i);
  }

  /** {@link #sample(long)} for a new array of {@code length} elements of {@code kind}. */
  public static boolean sampleArray(int length, int kind) {
    return sample(arraySize(length, kind));
  }

  /** Slow path: hands a sampled object to the listener unless this thread is already in it. */
  public static void sampled(Object obj, long size) {
    AllocListener l = listener;
    if (l == null || obj == null) {
      return;
    }
    try {
      int[] guard = HookGuard.enter();
      if (guard == null) {
        return;
      }
      try {
        l.onSample(obj, size);
      } finally {
        HookGuard.exit(guard);
      }
    } catch (Throwable ignored) {
      // A profiler must never break the application; the sample is simply lost.
    }
  }

  /** Slow path for arrays: {@link #sampled(Object, long)} with the size from the length. */
  public static void sampledArray(Object array, int kind) {
    if (array != null) {
      sampled(array, arraySize(java.lang.reflect.Array.getLength(array), kind));
    }
  }

  /**
   * Samples every array of an array just created by {@code MULTIANEWARRAY} (or by a JDK method that
   * returns a fresh array). It takes the object on every call, which is acceptable: such arrays are
   * rare or escape anyway.
   */
  public static void multiArray(Object array) {
    try {
      walk(array);
    } catch (Throwable ignored) {
      // Never break the application.
    }
  }

  private static void walk(Object array) {
    if (array == null) {
      return;
    }
    Class<?> component = array.getClass().getComponentType();
    if (component == null) {
      return;
    }
    int kind = kindOf(component);
    int length = java.lang.reflect.Array.getLength(array);
    long size = arraySize(length, kind);
    if (sample(size)) {
      sampled(array, size);
    }
    if (component.isArray()) {
      Object[] inner = (Object[]) array;
      for (Object o : inner) {
        walk(o);
      }
    }
  }

  /** The kind constant for an array component type. */
  public static int kindOf(Class<?> component) {
    if (!component.isPrimitive()) {
      return REFERENCE;
    }
    if (component == boolean.class) {
      return BOOLEAN;
    } else if (component == byte.class) {
      return BYTE;
    } else if (component == char.class) {
      return CHAR;
    } else if (component == short.class) {
      return SHORT;
    } else if (component == int.class) {
      return INT;
    } else if (component == float.class) {
      return FLOAT;
    } else if (component == long.class) {
      return LONG;
    }
    return DOUBLE;
  }

  /** The size in bytes of an array of {@code length} elements of {@code kind}. */
  public static long arraySize(int length, int kind) {
    long mask = alignMask;
    return (ARRAY_BASE[kind] + ((long) length << ARRAY_SHIFT[kind]) + mask) & ~mask;
  }

  /**
   * Sets the mean sampling interval in bytes and redraws every countdown (Go re-seeds after reading
   * the configuration too). 0 turns sampling off, 1 samples every allocation.
   */
  public static void setRate(long bytes) {
    rate = Math.max(0, bytes);
    for (int s = 1; s <= STRIPES; s++) {
      COUNTDOWN[s * PAD] = bytes <= 0 ? Long.MAX_VALUE : nextInterval(bytes);
    }
  }

  /** The current mean sampling interval in bytes; 0 when off. */
  public static long rate() {
    return rate;
  }

  /** Sets (or with null removes) the one listener that receives sampled allocations. */
  public static void setListener(AllocListener l) {
    listener = l;
  }

  /** Sets the calibrated array layout: base offset and log2 element size per kind. */
  public static void setArrayLayout(int[] base, int[] shift, int alignment) {
    for (int k = 0; k <= REFERENCE; k++) {
      ARRAY_BASE[k] = base[k];
      ARRAY_SHIFT[k] = shift[k];
    }
    alignMask = alignment - 1;
  }

  /** Marks the calling (agent) thread so that no hook records it; see {@link HookGuard}. */
  public static void ignoreCurrentThread() {
    HookGuard.ignoreCurrentThread();
  }

  /**
   * Stops sampling the calling thread until the matching {@link #resume()}; calls nest. For agent
   * work done on application threads, such as transforming a class being loaded.
   */
  public static void suspend() {
    HookGuard.suspend();
  }

  /** Ends one {@link #suspend()}. */
  public static void resume() {
    HookGuard.resume();
  }

  /**
   * Draws a countdown: exponential with mean {@code mean} bytes, 0 when the mean is 1. Go draws the
   * same distribution with its fast integer log; the JDK's log is precise enough here and runs only
   * once per sample.
   */
  public static long nextInterval(long mean) {
    if (mean <= 1) {
      return 0;
    }
    double u = ThreadLocalRandom.current().nextDouble();
    return (long) (-Math.log(1.0 - u) * mean);
  }

  private static boolean resample(int i) {
    long r = rate;
    if (r <= 0) {
      COUNTDOWN[i] = Long.MAX_VALUE;
      return false;
    }
    COUNTDOWN[i] = nextInterval(r);
    return true;
  }

  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same field.
  private static int stripe() {
    return (((int) Thread.currentThread().getId() & (STRIPES - 1)) + 1) * PAD;
  }
}
