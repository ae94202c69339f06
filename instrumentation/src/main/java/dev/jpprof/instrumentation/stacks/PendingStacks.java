package dev.jpprof.instrumentation.stacks;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples whose stack ({@code new Throwable()}, cheap on the sampled thread: the VM fills only its
 * backtrace) still waits to be symbolized by a recorder's daemon. Lock-free and bounded in what the
 * caller does about the bound: each pending sample pins a backtrace (up to 1 024 frames), so
 * {@value #MAX_PENDING} of them hold at most a few MB.
 *
 * @param <T> the recorder's pending sample
 */
public final class PendingStacks<T> {
  /** The daemons empty the queue every 20 ms, far more often than this fills at Go's rates. */
  public static final int MAX_PENDING = 1024;

  private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger count = new AtomicInteger();

  /** Queues a sample. @return true if more than {@link #MAX_PENDING} are now pending */
  public boolean add(T sample) {
    queue.add(sample);
    return count.incrementAndGet() > MAX_PENDING;
  }

  /** Queues a sample unless {@link #MAX_PENDING} are pending. @return false if it was refused */
  public boolean offer(T sample) {
    if (count.incrementAndGet() > MAX_PENDING) {
      count.decrementAndGet();
      return false;
    }
    queue.add(sample);
    return true;
  }

  /** The oldest pending sample, or null. */
  public T poll() {
    T t = queue.poll();
    if (t != null) {
      count.decrementAndGet();
    }
    return t;
  }
}
