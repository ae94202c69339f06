package dev.jpprof.instrumentation.alloc;

import dev.jpprof.bootstrap.AgentThreads;
import dev.jpprof.bootstrap.AllocHook;
import dev.jpprof.bootstrap.AllocListener;
import dev.jpprof.instrumentation.stacks.PendingStacks;
import dev.jpprof.instrumentation.stacks.StackTable;
import java.lang.instrument.Instrumentation;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records sampled allocations into buckets keyed by (stack, object size), and counts their frees
 * through weak references.
 *
 * <p>The application thread only does what must happen there: measure the object, take a {@code new
 * Throwable()} (the VM fills its backtrace cheaply, without symbols) and a weak reference. The
 * {@code jpprof-heap} daemon symbolizes stacks, finds buckets and drains the reference queue.
 * Memory is bounded: at most {@code maxBuckets} buckets plus one overflow bucket (samples merged
 * into it are counted), and at most {@link PendingStacks#MAX_PENDING} unresolved samples, beyond
 * which the allocating thread resolves them itself rather than drop them. Buckets and the pending
 * queue are the {@code stacks} package's, shared with the lock recorder.
 */
final class AllocRecorder implements AllocListener {
  /** The one frame of the bucket that receives samples once the bucket cap is reached. */
  static final StackTraceElement OVERFLOW_FRAME = StackTable.OVERFLOW_FRAME;

  private final Instrumentation inst;
  private final int stackDepth;
  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
  // Keeps the weak references themselves reachable until the queue hands them back.
  private final Set<Tracked> live = ConcurrentHashMap.newKeySet();
  private final PendingStacks<Tracked> pending = new PendingStacks<>();

  // Guarded by lock.
  private final Object lock = new Object();
  private final StackTable<HeapCounts> buckets;
  private final Thread drainer;
  private volatile boolean closed;

  AllocRecorder(Instrumentation inst, int stackDepth, int maxBuckets) {
    this.inst = inst;
    this.stackDepth = stackDepth;
    this.buckets = HeapCounts.table(maxBuckets);
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
    if (AgentThreads.isAgentThread(Thread.currentThread())) {
      return; // the agent's own threads (server, workers): not the application's memory
    }
    Tracked t = new Tracked(obj, queue, inst.getObjectSize(obj), new Throwable());
    live.add(t);
    if (pending.add(t)) {
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
      if (t.bucket == null) {
        resolveLocked(t);
      }
    }
  }

  private void resolveLocked(Tracked t) {
    HeapCounts b = buckets.bucket(StackTable.trim(t.stack.getStackTrace(), stackDepth), t.size);
    t.stack = null;
    b.allocObjects++;
    b.allocBytes += t.size;
    t.bucket = b;
  }

  /** Every bucket, the overflow bucket last if it was ever used. */
  List<HeapBucket> snapshot() {
    synchronized (lock) {
      resolvePendingLocked();
      drainLocked(queue.poll());
      return HeapCounts.snapshot(buckets);
    }
  }

  int bucketCount() {
    synchronized (lock) {
      return buckets.size();
    }
  }

  long overflowCount() {
    synchronized (lock) {
      return buckets.overflowSamples();
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
    HeapCounts bucket;

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
}
