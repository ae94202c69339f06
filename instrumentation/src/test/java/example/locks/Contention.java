package example.locks;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * Scenarios with known method names: a holder keeps something for {@code holdMillis} while a
 * waiter blocks on it. Each method returns how long the waiter actually waited (its own clock),
 * the reference for the profile's delay.
 */
public final class Contention {
  private Contention() {}

  /** The waiter blocks in {@link #waitForLock} until {@link #holdLock} unlocks. */
  public static long lockOnce(Lock lock, long holdMillis) throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    long[] waited = new long[1];
    Thread waiter = new Thread(() -> {
      awaitQuietly(held);
      waited[0] = waitForLock(lock);
    }, "waiter");
    Thread holder = new Thread(() -> holdLock(lock, held, waiter, holdMillis), "holder");
    holder.start();
    waiter.start();
    holder.join();
    waiter.join();
    return waited[0];
  }

  static long waitForLock(Lock lock) {
    long t0 = System.nanoTime();
    lock.lock();
    long waited = System.nanoTime() - t0;
    lock.unlock();
    return waited;
  }

  static void holdLock(Lock lock, CountDownLatch held, Thread waiter, long holdMillis) {
    lock.lock();
    try {
      held.countDown();
      untilParked(waiter);
      sleep(holdMillis);
    } finally {
      lock.unlock();
    }
  }

  /** A permit taken by {@link #waitForPermit} until {@link #releasePermit}. */
  public static long semaphoreOnce(long holdMillis) throws Exception {
    Semaphore s = new Semaphore(0);
    long[] waited = new long[1];
    Thread waiter = new Thread(() -> waited[0] = waitForPermit(s), "waiter");
    waiter.start();
    untilParked(waiter);
    sleep(holdMillis);
    releasePermit(s);
    waiter.join();
    return waited[0];
  }

  static long waitForPermit(Semaphore s) {
    long t0 = System.nanoTime();
    s.acquireUninterruptibly();
    return System.nanoTime() - t0;
  }

  static void releasePermit(Semaphore s) {
    s.release();
  }

  /** {@link #awaitLatch} until {@link #countDownLatch}. */
  public static long latchOnce(long holdMillis) throws Exception {
    CountDownLatch latch = new CountDownLatch(1);
    long[] waited = new long[1];
    Thread waiter = new Thread(() -> waited[0] = awaitLatch(latch), "waiter");
    waiter.start();
    untilParked(waiter);
    sleep(holdMillis);
    countDownLatch(latch);
    waiter.join();
    return waited[0];
  }

  static long awaitLatch(CountDownLatch latch) {
    long t0 = System.nanoTime();
    awaitQuietly(latch);
    return System.nanoTime() - t0;
  }

  static void countDownLatch(CountDownLatch latch) {
    latch.countDown();
  }

  /** {@link #takeFromQueue} until {@link #putIntoQueue}: a Condition wait, not a lock's. */
  public static long queueOnce(BlockingQueue<Object> q, long holdMillis) throws Exception {
    long[] waited = new long[1];
    Thread waiter = new Thread(() -> waited[0] = takeFromQueue(q), "waiter");
    waiter.start();
    untilParked(waiter);
    sleep(holdMillis);
    putIntoQueue(q);
    waiter.join();
    return waited[0];
  }

  static long takeFromQueue(BlockingQueue<Object> q) {
    long t0 = System.nanoTime();
    try {
      q.take();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return System.nanoTime() - t0;
  }

  static void putIntoQueue(BlockingQueue<Object> q) {
    q.add("x");
  }

  /** Waits until t is parked (WAITING or TIMED_WAITING), at most 2 s. */
  public static void untilParked(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(t + " never parked: " + t.getState());
      }
      Thread.onSpinWait();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static void awaitQuietly(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
