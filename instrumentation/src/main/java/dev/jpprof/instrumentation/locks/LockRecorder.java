package dev.jpprof.instrumentation.locks;

import dev.jpprof.instrumentation.stacks.PendingStacks;
import dev.jpprof.instrumentation.stacks.StackTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongUnaryOperator;

/**
 * The block and mutex tables: applies Go's sampling to each event, and keeps its stack in a {@link
 * StackTable} (the heap profile's machinery and cap). Events measured on application threads arrive
 * with a {@code new Throwable()} and wait, lock-free, for the {@code jpprof-locks} daemon to
 * symbolize them; when too many wait, the event is merged into the overflow record without a stack
 * (counted) rather than make the application thread wait. Events measured by the agent itself (JFR)
 * arrive symbolized and go straight into the tables.
 *
 * <p>Knows nothing of the bootstrap hooks, so that it works without them (JFR only).
 */
final class LockRecorder {
  private final int stackDepth;
  // Guarded by lock; only the daemon, agent threads and snapshot readers take it.
  private final Object lock = new Object();
  private final StackTable<Bucket> block;
  private final StackTable<Bucket> mutex;
  private final PendingStacks<Event> pending = new PendingStacks<>();
  private final DoubleAdder[] droppedCount = {new DoubleAdder(), new DoubleAdder()};
  private final LongAdder[] droppedDelay = {new LongAdder(), new LongAdder()};
  private final LongAdder dropped = new LongAdder();

  /** Uniform draw in [0, n) for n > 0. */
  private final LongUnaryOperator draw;

  private volatile long blockRate;
  private volatile int mutexFraction;
  private volatile Thread daemon;

  LockRecorder(int stackDepth, int maxBuckets, LongUnaryOperator draw) {
    if (stackDepth < 1 || maxBuckets < 1) {
      throw new IllegalArgumentException("stackDepth=" + stackDepth + " maxBuckets=" + maxBuckets);
    }
    this.stackDepth = stackDepth;
    this.block = new StackTable<>(maxBuckets, Bucket::new);
    this.mutex = new StackTable<>(maxBuckets, Bucket::new);
    this.draw = draw;
  }

  LockRecorder(int stackDepth, int maxBuckets) {
    this(stackDepth, maxBuckets, n -> ThreadLocalRandom.current().nextLong(n));
  }

  void setBlockRate(long rateNanos) {
    blockRate = Math.max(0, rateNanos);
  }

  long blockRate() {
    return blockRate;
  }

  void setMutexFraction(int fraction) {
    mutexFraction = Math.max(0, fraction);
  }

  int mutexFraction() {
    return mutexFraction;
  }

  /**
   * A wait of {@code delay} ns, Go's block rule. With null frames the stack is the calling
   * thread's, taken here only if the event is kept.
   */
  void block(StackTraceElement[] frames, long delay) {
    long rate = blockRate;
    if (rate <= 0 || !ContentionSampling.keepBlock(delay, rate, draw.applyAsLong(rate))) {
      return;
    }
    add(
        0,
        frames,
        ContentionSampling.blockCount(delay, rate),
        ContentionSampling.blockDelay(delay, rate));
  }

  /**
   * A release that made others wait {@code delay} ns in total, Go's mutex rule (1 in fraction kept,
   * pre-scaled). With null frames the stack is the calling thread's.
   */
  void mutex(StackTraceElement[] frames, long delay) {
    int fraction = mutexFraction;
    if (fraction <= 0 || !ContentionSampling.keepMutex(fraction, draw.applyAsLong(fraction))) {
      return;
    }
    add(1, frames, fraction, fraction * Math.max(delay, 0));
  }

  private void add(int kind, StackTraceElement[] frames, double count, long delay) {
    if (frames != null) { // measured outside bytecode: no hook frames to trim
      synchronized (lock) {
        table(kind).bucket(StackTable.cap(frames, stackDepth), 0).add(count, delay);
      }
      return;
    }
    if (!pending.offer(new Event(kind, new Throwable(), count, delay))) {
      // Never wait for the daemon on an application thread: keep the totals, lose the stack.
      droppedCount[kind].add(count);
      droppedDelay[kind].add(delay);
      dropped.increment();
    }
  }

  private StackTable<Bucket> table(int kind) {
    return kind == 0 ? block : mutex;
  }

  /** Starts the daemon that symbolizes the stacks taken on application threads. */
  void startDaemon() {
    Thread t = new Thread(this::drainLoop, "jpprof-locks");
    t.setDaemon(true);
    daemon = t;
    t.start();
  }

  void stopDaemon() {
    Thread t = daemon;
    if (t != null) {
      t.interrupt();
    }
  }

  private void drainLoop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(20);
        synchronized (lock) {
          drainLocked();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        // Keep draining: a lost event is better than a growing queue.
      }
    }
  }

  private void drainLocked() {
    for (Event e; (e = pending.poll()) != null; ) {
      StackTraceElement[] frames = StackTable.trim(e.stack.getStackTrace(), stackDepth);
      table(e.kind).bucket(frames, 0).add(e.count, e.delay);
    }
    for (int kind = 0; kind < 2; kind++) {
      double c = droppedCount[kind].sumThenReset();
      long d = droppedDelay[kind].sumThenReset();
      if (c > 0 || d > 0) {
        table(kind).spill(1).add(c, d);
      }
    }
  }

  List<ContentionRecord> snapshot(boolean ofMutex) {
    synchronized (lock) {
      drainLocked();
      StackTable<Bucket> t = table(ofMutex ? 1 : 0);
      List<ContentionRecord> out = new ArrayList<>(t.size());
      for (Bucket b : t.buckets()) {
        out.add(b.toRecord(false));
      }
      if (t.overflowSamples() > 0) {
        out.add(t.overflow().toRecord(true));
      }
      return out;
    }
  }

  int records(boolean ofMutex) {
    synchronized (lock) {
      drainLocked();
      return table(ofMutex ? 1 : 0).size();
    }
  }

  long overflowSamples() {
    synchronized (lock) {
      drainLocked();
      return block.overflowSamples() + mutex.overflowSamples();
    }
  }

  /** Events whose stack was dropped because too many waited for the daemon. */
  long droppedStacks() {
    return dropped.sum();
  }

  /** An event measured on an application thread, its stack not yet symbolized. */
  private static final class Event {
    final int kind;
    final Throwable stack;
    final double count;
    final long delay;

    Event(int kind, Throwable stack, double count, long delay) {
      this.kind = kind;
      this.stack = stack;
      this.count = count;
      this.delay = delay;
    }
  }

  private static final class Bucket {
    final StackTraceElement[] frames;
    double count; // float like Go's, truncated on output
    long delay;

    Bucket(StackTraceElement[] frames, long unused) {
      this.frames = frames;
    }

    void add(double c, long d) {
      count += c;
      delay += d;
    }

    ContentionRecord toRecord(boolean overflow) {
      return new ContentionRecord(frames, (long) count, delay, overflow);
    }
  }
}
