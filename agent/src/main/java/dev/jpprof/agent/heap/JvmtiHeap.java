package dev.jpprof.agent.heap;

import dev.jpprof.agent.AgentLog;
import dev.jpprof.agent.AgentThreadGroup;
import dev.jpprof.agent.frames.SourceInfo;
import dev.jpprof.instrumentation.alloc.HeapCounts;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The default heap engine: JVMTI's SampledObjectAlloc through libjpprof. The JVM samples on its
 * allocation slow path at Go's exponential byte gaps, so compiled code and escape analysis stay as
 * they are. The library keeps each sample's stack and weak reference; this class, on its {@code
 * jpprof-heap} daemon, turns them into Go's (stack, size) records and counts a record's frees when
 * the weak references clear. A stack seen before goes straight to its bucket by its packed frames
 * ({@link PackedStacks}); only a new one is turned into StackTraceElements.
 *
 * <p>Throttled: while the application allocates so fast that the JVM would take more than {@code
 * alloc.maxSamplesPerSecond} samples a second, the interval is doubled (from {@code alloc.rate})
 * until it would not, and halved again when it would stay under half of that. The cost is per
 * sample (the JVM's stack walk: ~25 µs each on an HTTP service's stacks, BENCHMARKS.md), so this
 * bounds it whatever the allocation rate. Each sample taken at a larger interval counts as the
 * samples {@code alloc.rate} would have taken in expectation ({@link #weight}), so the profile
 * keeps one rate, Go's unsampling and its totals.
 *
 * <p>Bounded: at most {@code maxBuckets} records (then the overflow bucket), {@code maxLive}
 * samples tracked for in-use (a sample over it counts as allocated and at once freed, and is
 * counted), {@link #MAX_PENDING} samples (and {@link #MAX_PENDING_BYTES}) waiting for the daemon
 * (further samples are dropped, and counted, until it catches up) and {@link #MAX_METHODS} methods
 * in the native cache (frames of further methods are named jpprof.unresolvedMethod).
 */
final class JvmtiHeap extends TableHeap {
  static final int MAX_PENDING = 16_384;

  /** Pending samples also stay under this many bytes of stacks, whatever stack.depth is. */
  static final long MAX_PENDING_BYTES = 8L << 20;

  static final int MAX_METHODS = 65_536;

  /**
   * Stacks kept in their packed form for the shortcut to their bucket (each a long per frame; more
   * are forgotten and packed again on demand).
   */
  static final int MAX_PACKED = 16_384;

  /**
   * How often the daemon takes new samples: at most every MIN_POLL_MILLIS (sampling every
   * allocation fills the pending list fast), at least every MAX_POLL_MILLIS (frees are seen within
   * that after a GC; gc=1 and every fetch collect at once). Between the two, as rarely as keeps the
   * pending list under an eighth full at the last round's pace: at the default cap of 100 samples a
   * second that is MAX_POLL_MILLIS, 5 wake-ups a second instead of 50.
   */
  private static final long MIN_POLL_MILLIS = 20;

  private static final long MAX_POLL_MILLIS = 200;

  /**
   * Weak references are checked after every GC the JVM reports, and at least this often: the
   * concurrent collectors (ZGC, Shenandoah) report no GarbageCollectionFinish for their cycles.
   */
  private static final long SCAN_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final StackTraceElement UNKNOWN_METHOD =
      new StackTraceElement("jpprof", "unresolvedMethod", null, 0);

  /** The throttle's largest interval: the JVM takes an int. */
  static final long MAX_INTERVAL = 1L << 30;

  private final long rate;
  private final int maxLive;
  private final int maxPerSecond;
  private final int maxPending;
  private final SplittableRandom random = new SplittableRandom();
  // The throttle's state: written by the drain thread only; interval read by status() too.
  private volatile long interval;
  private long lastSeen;
  private long lastAdapt = System.nanoTime();
  // Guarded by lock, as buckets are.
  private final PackedStacks<HeapCounts> packed;
  private final HeapCounts[] bySlot;
  private final long[] sizeBySlot;
  private final long[] countBySlot;
  private final Map<Integer, String[]> methods = new HashMap<>();
  private final Map<Long, StackTraceElement> frames = new HashMap<>();
  private long untracked;
  private long spilledObjects;
  private long spilledBytes;
  private long lastGc = -1;
  private long lastScan = System.nanoTime();
  private volatile long[] stats = new long[10];

  private JvmtiHeap(long rate, int maxBuckets, int maxLive, int maxPerSecond, int maxPending) {
    super(maxBuckets);
    this.rate = rate;
    this.maxPending = maxPending;
    this.interval = rate;
    this.maxLive = maxLive;
    this.maxPerSecond = maxPerSecond;
    this.packed = new PackedStacks<>(Math.min(maxBuckets, MAX_PACKED));
    this.bySlot = new HeapCounts[maxLive];
    this.sizeBySlot = new long[maxLive];
    this.countBySlot = new long[maxLive];
  }

  /**
   * Loads libjpprof, takes the JVM's sampling capability and starts the daemon.
   *
   * @throws IllegalStateException saying why the engine cannot run here (no library, the capability
   *     held by another agent, ...)
   */
  static JvmtiHeap start(long rate, int depth, int maxBuckets, int maxLive, int maxPerSecond) {
    String why = NativeHeap.load();
    if (why != null) {
      throw new IllegalStateException(why);
    }
    int interval = (int) Math.min(rate, Integer.MAX_VALUE);
    int pending = (int) Math.max(64, Math.min(MAX_PENDING, MAX_PENDING_BYTES / (8L * depth + 32)));
    int code = NativeHeap.start(interval, depth, pending, maxLive, MAX_METHODS);
    if (code != 0) {
      throw new IllegalStateException(NativeHeap.describe(code));
    }
    JvmtiHeap heap = new JvmtiHeap(rate, maxBuckets, maxLive, maxPerSecond, pending);
    AgentThreadGroup.daemon(
            new Runnable() { // not a lambda: premain runs this
              @Override
              public void run() {
                heap.drainLoop();
              }
            },
            "jpprof-heap")
        .start();
    return heap;
  }

  private void drainLoop() {
    long sleep = MIN_POLL_MILLIS;
    while (true) {
      try {
        Thread.sleep(sleep);
        int taken;
        synchronized (lock) {
          taken = collectLocked(false);
        }
        sleep = nextPoll(sleep, taken, maxPending);
        adapt();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | OutOfMemoryError e) {
        AgentLog.failure("heap sample collection", e); // once; the next round tries again
      }
    }
  }

  /**
   * The daemon's next sleep after one of {@code slept} ms that took {@code taken} samples: long
   * enough that at that pace an eighth of the {@code capacity} samples would be pending.
   */
  static long nextPoll(long slept, int taken, int capacity) {
    if (taken <= 0) {
      return MAX_POLL_MILLIS;
    }
    long fill = slept * (capacity / 8) / taken;
    return Math.max(MIN_POLL_MILLIS, Math.min(MAX_POLL_MILLIS, fill));
  }

  /**
   * Takes the new samples; checks the weak references if asked, after a GC, or once a second.
   * Returns how many samples it took.
   */
  private int collectLocked(boolean scan) {
    long[] s = NativeHeap.stats();
    if (s == null) {
      return 0;
    }
    stats = s;
    long now = System.nanoTime();
    if (s[3] != lastGc || now - lastScan > SCAN_NANOS) {
      scan = true;
    }
    long[] a = NativeHeap.collect(scan);
    if (a == null || a.length < 2) {
      return 0; // no memory for the answer: the library kept everything for the next round
    }
    if (scan) {
      lastGc = s[3];
      lastScan = now;
    }
    int used = (int) a[0];
    int frees = (int) a[1];
    int w = 2;
    int taken = 0;
    for (int k = 0; k < frees; k++) {
      int slot = (int) a[w++];
      HeapCounts b = bySlot[slot];
      if (b != null) {
        b.freeObjects += countBySlot[slot];
        b.freeBytes += countBySlot[slot] * sizeBySlot[slot];
        bySlot[slot] = null;
      }
    }
    while (w < used) {
      int slot = (int) a[w++];
      long size = a[w++];
      long count = weight(size, rate, a[w++], random.nextDouble());
      int depth = (int) a[w++];
      HeapCounts b = packed.get(a, w, depth, size);
      if (b == null) { // a stack not seen before: its frames, then its bucket
        StackTraceElement[] stack = new StackTraceElement[depth];
        for (int i = 0; i < depth; i++) {
          stack[i] = frame(a[w + i]);
        }
        b = buckets.bucket(stack, size);
        if (b != buckets.overflow()) { // the overflow bucket counts each sample it takes
          packed.put(a, w, depth, size, b);
        }
      }
      w += depth;
      taken++;
      b.allocObjects += count;
      b.allocBytes += count * size;
      if (slot >= 0) {
        bySlot[slot] = b;
        sizeBySlot[slot] = size;
        countBySlot[slot] = count;
      } else { // over alloc.maxLive: allocated, but its free cannot be seen
        b.freeObjects += count;
        b.freeBytes += count * size;
        untracked++;
      }
    }
    spillDroppedLocked(s[1], s[2]);
    return taken;
  }

  /**
   * How many samples at {@code rate} one sample of {@code size} bytes stands for when the JVM drew
   * its gap at {@code interval}: Go's sampling probability at the rate over the one at the
   * interval, rounded up or down at random ({@code uniform} in [0, 1)) so that its mean is exact. 1
   * when the interval is the rate.
   */
  static long weight(long size, long rate, long interval, double uniform) {
    if (interval <= rate) {
      return 1;
    }
    double w = sampled(size, rate) / sampled(size, interval);
    long whole = (long) w;
    return whole + (uniform < w - whole ? 1 : 0);
  }

  /**
   * Go's probability that an allocation of {@code size} bytes is sampled at mean gap {@code at}.
   */
  private static double sampled(long size, long at) {
    return at <= 1 ? 1 : -Math.expm1(-(double) size / at);
  }

  /** Once a second: the throttle's next interval, set in the JVM when it changes. */
  private void adapt() {
    long now = System.nanoTime();
    if (maxPerSecond <= 0 || now - lastAdapt < SCAN_NANOS) {
      return;
    }
    long seen = stats[0];
    long next =
        nextInterval(rate, interval, seen - lastSeen, (now - lastAdapt) / 1e9, maxPerSecond);
    lastSeen = seen;
    lastAdapt = now;
    if (next != interval && NativeHeap.interval((int) next) == 0) {
      interval = next;
    }
  }

  /**
   * The interval for the next second: {@code rate} times the smallest power of two at which the
   * allocation rate just seen ({@code samples} in {@code seconds} at {@code current}) gives at most
   * {@code maxPerSecond} samples; kept while lowering it would not stay under half of that. At rate
   * 1 (every allocation) the bytes are underestimated (samples × 1 byte), so the interval climbs
   * over a few seconds instead of one.
   */
  static long nextInterval(
      long rate, long current, long samples, double seconds, int maxPerSecond) {
    if (maxPerSecond <= 0 || seconds <= 0 || samples < 0 || rate < 1 || rate >= MAX_INTERVAL) {
      return current;
    }
    double bytesPerSecond = samples / seconds * Math.max(current, 1);
    long up = rate;
    while (up < MAX_INTERVAL && bytesPerSecond / up > maxPerSecond) {
      up <<= 1;
    }
    if (up >= current) {
      return up;
    }
    long down = rate;
    while (down < current && bytesPerSecond / down > maxPerSecond / 2.0) {
      down <<= 1;
    }
    return down;
  }

  /** Samples the library could not keep: into the overflow bucket, so totals stay right. */
  private void spillDroppedLocked(long droppedObjects, long droppedBytes) {
    long objects = droppedObjects - spilledObjects;
    long bytes = droppedBytes - spilledBytes;
    if (objects <= 0) {
      return;
    }
    HeapCounts o = buckets.spill(0);
    o.allocObjects += objects;
    o.allocBytes += bytes;
    o.freeObjects += objects;
    o.freeBytes += bytes;
    spilledObjects = droppedObjects;
    spilledBytes = droppedBytes;
  }

  /** A (method index, line) pair from the library as a stack trace element; cached. */
  private StackTraceElement frame(long packed) {
    StackTraceElement e = frames.get(packed);
    if (e != null) {
      return e;
    }
    int index = (int) (packed >>> 32);
    int line = (int) packed;
    String[] names = index == 0 ? null : methods.get(index);
    if (names == null && index != 0) { // not computeIfAbsent: no lambda spun at the JVM's start
      names = NativeHeap.method(index);
      methods.put(index, names);
    }
    e =
        names == null
            ? UNKNOWN_METHOD
            : new StackTraceElement(className(names[0]), names[1], names[2], line);
    if (frames.size() > 4 * MAX_METHODS) {
      frames.clear(); // bounded: distinct (method, line) pairs seen are rebuilt on demand
    }
    frames.put(packed, e);
    return e;
  }

  /** {@code Ljava/util/HashMap;} → {@code java.util.HashMap}, hidden-class suffixes dropped. */
  static String className(String signature) {
    String s = signature;
    if (s.startsWith("L") && s.endsWith(";")) {
      s = s.substring(1, s.length() - 1);
    }
    return SourceInfo.javaClassName(s);
  }

  /** A snapshot is as of now: the new samples taken and the weak references checked first. */
  @Override
  void catchUpLocked() {
    collectLocked(true);
  }

  @Override
  public long rate() {
    return rate;
  }

  /**
   * A full GC clears the weak references of the objects it frees as part of the collection (JNI
   * weak references need no reference handler), so the scan after it sees them all; a second scan
   * catches a collector that finishes its cycle after System.gc() returns.
   */
  @Override
  public void gcAndDrain(long timeoutMillis) throws InterruptedException {
    System.gc();
    synchronized (lock) {
      collectLocked(true);
    }
    Thread.sleep(Math.min(timeoutMillis, MIN_POLL_MILLIS));
    synchronized (lock) {
      collectLocked(true);
    }
  }

  @Override
  public String name() {
    return "jvmti";
  }

  /** The JVM's samples as libjpprof last counted them (stats are read at every collection). */
  @Override
  public long samplesTaken() {
    return stats[0];
  }

  @Override
  public long samplesDropped() {
    return stats[1];
  }

  @Override
  public String status() {
    long[] s = stats;
    long untrackedNow;
    int bucketCount;
    long overflow;
    synchronized (lock) {
      untrackedNow = untracked;
      bucketCount = buckets.size();
      overflow = buckets.overflowSamples();
    }
    long at = interval;
    return "allocation sampling: JVMTI (the JVM's own sampler, nothing rewritten), rate "
        + rate
        + " bytes"
        + (maxPerSecond <= 0
            ? "; "
            : ", at most "
                + maxPerSecond
                + " samples/s (alloc.maxSamplesPerSecond): "
                + (at > rate
                    ? "interval now "
                        + at
                        + " bytes, each sample counted as the samples the rate"
                        + " would have taken; "
                    : "not throttled now; "))
        + s[0]
        + " samples, "
        + s[5]
        + " live tracked (alloc.maxLive "
        + maxLive
        + "), "
        + untrackedNow
        + " not tracked for in-use (over alloc.maxLive), "
        + bucketCount
        + " buckets, "
        + overflow
        + " samples merged into the overflow bucket (alloc.maxBuckets), "
        + s[1]
        + " dropped while the collector was behind, "
        + s[7]
        + " methods cached, "
        + (s[4] / 1024)
        + " KiB native memory"
        + (s[8] > 0 ? ", " + s[8] + " JVMTI failures (last code " + s[9] + ")" : "");
  }
}
