package example.locks;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.StampedLock;

/**
 * Scenarios with known method names: a holder keeps something for {@code holdMillis} while a waiter
 * blocks on it. Each adds to {@link Times} bounds for what a profile must record: the true wait
 * lies between {@code held} (from when the waiter was seen parked to just before the release) and
 * {@code waited} (the waiter's own clock around the blocking call).
 */
public final class Contention {
  private Contention() {}

  /** Sums over scenario runs, in nanoseconds. */
  public static final class Times {
    public long waited;
    public long held;

    /** The holder keeps it {@code millis}, the waiter already parked; the release follows. */
    void hold(long millis) {
      long t0 = System.nanoTime();
      sleep(millis);
      held += System.nanoTime() - t0;
    }
  }

  /** The waiter blocks in {@link #waitForLock} until {@link #holdLock} unlocks. */
  public static void lockOnce(Lock lock, long holdMillis, Times times) throws Exception {
    lockOnce(lock, lock, holdMillis, "waiter", times);
  }

  /** The same with different locks for the holder and the waiter (read/write). */
  public static void lockOnce(
      Lock held, Lock wanted, long holdMillis, String waiterName, Times times) throws Exception {
    // The waiter starts once the holder holds the lock: its only park is then the lock's.
    CountDownLatch holding = new CountDownLatch(1);
    long[] waited = new long[1];
    Thread waiter = new Thread(() -> waited[0] = waitForLock(wanted), waiterName);
    Thread holder = new Thread(() -> holdLock(held, holding, waiter, holdMillis, times), "holder");
    holder.start();
    awaitQuietly(holding);
    waiter.start();
    holder.join();
    waiter.join();
    times.waited += waited[0];
  }

  static long waitForLock(Lock lock) {
    long t0 = System.nanoTime();
    lock.lock();
    long waited = System.nanoTime() - t0;
    lock.unlock();
    return waited;
  }

  static void holdLock(
      Lock lock, CountDownLatch held, Thread waiter, long holdMillis, Times times) {
    lock.lock();
    try {
      held.countDown();
      untilParked(waiter);
      times.hold(holdMillis);
    } finally {
      lock.unlock();
    }
  }

  /** {@link #waitForStamp} (read) until {@link #holdStamp} ends its write lock. */
  public static void stampedOnce(long holdMillis, Times times) throws Exception {
    StampedLock lock = new StampedLock();
    long stamp = lock.writeLock();
    long[] waited = new long[1];
    Thread waiter = new Thread(() -> waited[0] = waitForStamp(lock), "waiter");
    waiter.start();
    untilParked(waiter);
    times.hold(holdMillis);
    holdStamp(lock, stamp);
    waiter.join();
    times.waited += waited[0];
  }

  static long waitForStamp(StampedLock lock) {
    long t0 = System.nanoTime();
    lock.unlockRead(lock.readLock());
    return System.nanoTime() - t0;
  }

  static void holdStamp(StampedLock lock, long stamp) {
    lock.unlockWrite(stamp);
  }

  /** A permit taken by {@link #waitForPermit} until {@link #releasePermit}. */
  public static void semaphoreOnce(long holdMillis, Times times) throws Exception {
    Semaphore s = new Semaphore(0);
    long[] waited = new long[1];
    Thread waiter = new Thread(() -> waited[0] = waitForPermit(s), "waiter");
    waiter.start();
    untilParked(waiter);
    times.hold(holdMillis);
    releasePermit(s);
    waiter.join();
    times.waited += waited[0];
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
  public static void latchOnce(long holdMillis, Times times) throws Exception {
    CountDownLatch latch = new CountDownLatch(1);
    long[] waited = new long[1];
    Thread waiter = new Thread(() -> waited[0] = awaitLatch(latch), "waiter");
    waiter.start();
    untilParked(waiter);
    times.hold(holdMillis);
    countDownLatch(latch);
    waiter.join();
    times.waited += waited[0];
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
  public static void queueOnce(BlockingQueue<Object> q, long holdMillis, Times times)
      throws Exception {
    long[] waited = new long[1];
    Thread waiter = new Thread(() -> waited[0] = takeFromQueue(q), "waiter");
    waiter.start();
    untilParked(waiter);
    times.hold(holdMillis);
    putIntoQueue(q);
    waiter.join();
    times.waited += waited[0];
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
