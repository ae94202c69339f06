package dev.jpprof.instrumentation.alloc;

import dev.jpprof.bootstrap.AllocHook;
import dev.jpprof.bootstrap.AllocListener;
import java.lang.instrument.Instrumentation;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records sampled allocations into buckets keyed by (stack, object size), and counts their
 * frees through weak references.
 *
 * <p>The application thread only does what must happen there: measure the object, take a
 * {@code new Throwable()} (the VM fills its backtrace cheaply, without symbols) and a weak
 * reference. The {@code jpprof-heap} daemon symbolizes stacks, finds buckets and drains the
 * reference queue. Memory is bounded: at most {@code maxBuckets} buckets plus one overflow
 * bucket (samples merged into it are counted), and at most {@value #MAX_PENDING} unresolved
 * samples, beyond which the allocating thread resolves them itself rather than drop them.
 */
final class AllocRecorder implements AllocListener {
  /** The one frame of the bucket that receives samples once the bucket cap is reached. */
  static final StackTraceElement OVERFLOW_FRAME =
      new StackTraceElement("jpprof", "bucketOverflow", null, -1);
  // A pending sample holds its Throwable's backtrace (up to 1024 frames), so this bounds that
  // memory to a few MB; the daemon empties the queue every 20 ms, far above Go's default rate.
  static final int MAX_PENDING = 1024;

  private final Instrumentation inst;
  private final int stackDepth;
  private final int maxBuckets;
  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
  // Keeps the weak references themselves reachable until the queue hands them back.
  private final Set<Tracked> live = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Tracked> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();

  // Guarded by lock.
  private final Object lock = new Object();
  private final Map<Key, Bucket> buckets = new HashMap<>();
  private final Bucket overflow = new Bucket(new StackTraceElement[] {OVERFLOW_FRAME}, 0);
  private long overflowSamples;
  private final Thread drainer;
  private volatile boolean closed;

  AllocRecorder(Instrumentation inst, int stackDepth, int maxBuckets) {
    this.inst = inst;
    this.stackDepth = stackDepth;
    this.maxBuckets = maxBuckets;
    drainer = new Thread(this::drainLoop, "jpprof-heap");
    drainer.setDaemon(true);
  }

  /** Starts the drain thread and makes this the hooks' listener. */
  void start() {
    drainer.start();
    AllocHook.setListener(this);
  }

  @Override
  public void onSample(Object obj, long size) {
    if (Thread.currentThread().getName().startsWith("jpprof-")) {
      return; // the agent's own threads (server, workers): not the application's memory
    }
    Tracked t = new Tracked(obj, queue, inst.getObjectSize(obj), new Throwable());
    live.add(t);
    pending.add(t);
    if (pendingCount.incrementAndGet() > MAX_PENDING) {
      synchronized (lock) {
        resolvePendingLocked();
      }
    }
    // Until t is queued for resolution, obj must not be collected (its free would be early).
    Reference.reachabilityFence(obj);
  }

  private void drainLoop() {
    AllocHook.ignoreCurrentThread();
    while (!closed) {
      try {
        Reference<?> ref = queue.remove(20);
        synchronized (lock) {
          resolvePendingLocked();
          drainLocked(ref);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        // Keep draining: a lost sample is better than a growing queue.
      }
    }
  }

  private void drainLocked(Reference<?> first) {
    for (Reference<?> ref = first; ref != null; ref = queue.poll()) {
      if (ref instanceof Tracked) {
        Tracked t = (Tracked) ref;
        live.remove(t);
        if (t.bucket == null) {
          resolveLocked(t);
        }
        t.bucket.freeObjects++;
        t.bucket.freeBytes += t.size;
      } else if (ref instanceof Sentinel) {
        ((Sentinel) ref).seen = true;
      }
    }
  }

  private void resolvePendingLocked() {
    for (Tracked t; (t = pending.poll()) != null; ) {
      pendingCount.decrementAndGet();
      if (t.bucket == null) {
        resolveLocked(t);
      }
    }
  }

  private void resolveLocked(Tracked t) {
    StackTraceElement[] frames = trim(t.stack.getStackTrace());
    t.stack = null;
    Key key = new Key(frames, t.size);
    Bucket b = buckets.get(key);
    if (b == null) {
      if (buckets.size() >= maxBuckets) {
        b = overflow;
        overflowSamples++;
      } else {
        b = new Bucket(frames, t.size);
        buckets.put(key, b);
      }
    }
    b.allocObjects++;
    b.allocBytes += t.size;
    t.bucket = b;
  }

  /** Drops the hook and recorder frames at the top, and caps the depth. */
  private StackTraceElement[] trim(StackTraceElement[] all) {
    int from = 0;
    while (from < all.length && isOwnFrame(all[from].getClassName())) {
      from++;
    }
    return Arrays.copyOfRange(all, from, Math.min(all.length, from + stackDepth));
  }

  private static boolean isOwnFrame(String className) {
    return className.equals("dev.jpprof.bootstrap.AllocHook")
        || className.equals(AllocRecorder.class.getName());
  }

  /** Every bucket, the overflow bucket last if it was ever used. */
  List<HeapBucket> snapshot() {
    synchronized (lock) {
      resolvePendingLocked();
      drainLocked(queue.poll());
      List<HeapBucket> out = new ArrayList<>(buckets.size() + 1);
      for (Bucket b : buckets.values()) {
        out.add(b.toHeapBucket(false));
      }
      if (overflow.allocObjects > 0) {
        out.add(overflow.toHeapBucket(true));
      }
      return out;
    }
  }

  int bucketCount() {
    synchronized (lock) {
      return buckets.size() + (overflow.allocObjects > 0 ? 1 : 0);
    }
  }

  long overflowCount() {
    synchronized (lock) {
      return overflowSamples;
    }
  }

  /**
   * Runs a full GC and waits until the weak references it cleared have been counted: a sentinel
   * reference cleared by the same GC must come through the queue, then the queue must stay empty
   * for a moment (the JDK's reference handler enqueues one reference at a time).
   *
   * @return false if that did not happen within {@code timeoutMillis}
   */
  boolean gcAndDrain(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    Sentinel sentinel = new Sentinel(queue);
    System.gc();
    int quiet = 0;
    while (System.nanoTime() < deadline) {
      boolean drained;
      synchronized (lock) {
        Reference<?> ref = queue.poll();
        drained = ref == null;
        drainLocked(ref);
        resolvePendingLocked();
      }
      quiet = sentinel.seen && drained ? quiet + 1 : 0;
      if (quiet >= 3) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  /** See {@link AllocSampler#ignoreCurrentThread()}. */
  void ignoreCurrentThread() {
    AllocHook.ignoreCurrentThread();
  }

  /** Stops listening and stops the drain thread; buckets stay readable. */
  void close() {
    AllocHook.setListener(null);
    closed = true;
    drainer.interrupt();
  }

  /** A weak reference to a sampled object; carries its stack until the daemon resolves it. */
  private static final class Tracked extends WeakReference<Object> {
    final long size;
    Throwable stack;
    Bucket bucket;

    Tracked(Object referent, ReferenceQueue<Object> q, long size, Throwable stack) {
      super(referent, q);
      this.size = size;
      this.stack = stack;
    }
  }

  /** A reference cleared by the GC that {@link #gcAndDrain} starts, to know it has happened. */
  private static final class Sentinel extends WeakReference<Object> {
    volatile boolean seen;

    Sentinel(ReferenceQueue<Object> q) {
      super(new Object(), q);
    }
  }

  private static final class Key {
    final StackTraceElement[] frames;
    final long size;
    final int hash;

    Key(StackTraceElement[] frames, long size) {
      this.frames = frames;
      this.size = size;
      this.hash = Arrays.hashCode(frames) * 31 + Long.hashCode(size);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).size == size && Arrays.equals(((Key) o).frames, frames);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private static final class Bucket {
    final StackTraceElement[] frames;
    final long size;
    long allocObjects;
    long allocBytes;
    long freeObjects;
    long freeBytes;

    Bucket(StackTraceElement[] frames, long size) {
      this.frames = frames;
      this.size = size;
    }

    HeapBucket toHeapBucket(boolean isOverflow) {
      return new HeapBucket(frames, size, allocObjects, allocBytes, freeObjects, freeBytes,
          isOverflow);
    }
  }
}
