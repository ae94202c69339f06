package dev.jpprof.instrumentation.locks;

import static dev.jpprof.instrumentation.locks.Records.delayThrough;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.locks.Contention;
import example.locks.Contention.Times;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

/**
 * With the hooks installed, interrupts, timeouts, tryLock and fairness behave as without them; also
 * when the listener throws from every call (the hook must swallow it). Nothing here may name a
 * bootstrap hook class before the install defines it (JUnit loads nested classes early).
 */
class LockSemanticsAgentTest {
  @Test
  void semanticsUnchangedWithHooksAndWithAThrowingListener() throws Exception {
    LockProfiler locks = LockProfiler.install(ByteBuddyAgent.install(), 64, 1000);
    try {
      locks.setBlockRate(1);
      locks.setMutexFraction(1);
      checkSemantics();
      assertEquals(0, locks.trackedWaits(), "wait state left behind");
      switchedOffAtRunTimeNothingIsRecordedUntilSwitchedOn(locks);
      assertFalse(locks.blockSnapshot().isEmpty()); // the hooks did run
      ThrowingLockListener.install();
      checkSemantics();
    } finally {
      locks.close();
    }
  }

  private static void switchedOffAtRunTimeNothingIsRecordedUntilSwitchedOn(LockProfiler locks)
      throws Exception {
    long blockBefore = delayThrough(locks.blockSnapshot(), "waitForLock");
    long mutexBefore = delayThrough(locks.mutexSnapshot(), "holdLock", "unlock");
    locks.setBlockRate(0);
    locks.setMutexFraction(0);
    try {
      ReentrantLock lock = new ReentrantLock();
      Contention.lockOnce(lock, 10, new Times());
      assertEquals(blockBefore, delayThrough(locks.blockSnapshot(), "waitForLock"));
      assertEquals(mutexBefore, delayThrough(locks.mutexSnapshot(), "holdLock", "unlock"));
      assertEquals(0, locks.trackedWaits());
    } finally {
      locks.setBlockRate(1);
      locks.setMutexFraction(1);
    }
    Times times = new Times();
    Contention.lockOnce(new ReentrantLock(), 10, times);
    assertTrue(delayThrough(locks.blockSnapshot(), "waitForLock") - blockBefore >= times.held);
    assertTrue(
        delayThrough(locks.mutexSnapshot(), "holdLock", "unlock") - mutexBefore >= times.held);
  }

  private static void checkSemantics() throws Exception {
    interruptEndsLockInterruptibly();
    timeoutsExpire();
    fairLockGrantsInArrivalOrder();
    parkReturnsOnInterruptWithTheFlagSet();
  }

  private static void interruptEndsLockInterruptibly() throws Exception {
    ReentrantLock lock = new ReentrantLock();
    lock.lock();
    try {
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      Thread waiter =
          new Thread(
              () -> {
                try {
                  lock.lockInterruptibly();
                  outcome.set(new AssertionError("acquired a held lock"));
                } catch (Throwable e) {
                  outcome.set(e);
                }
              });
      waiter.start();
      Contention.untilParked(waiter);
      waiter.interrupt();
      waiter.join(2000);
      assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
      assertTrue(lock.isHeldByCurrentThread());
      assertFalse(lock.hasQueuedThreads());
    } finally {
      lock.unlock();
    }
  }

  private static void timeoutsExpire() throws Exception {
    ReentrantLock lock = new ReentrantLock();
    Condition cond = lock.newCondition();
    lock.lock();
    try {
      boolean[] got = new boolean[2];
      long[] took = new long[1];
      Thread other =
          new Thread(
              () -> {
                got[0] = lock.tryLock();
                long t0 = System.nanoTime();
                try {
                  got[1] = lock.tryLock(30, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
                took[0] = System.nanoTime() - t0;
              });
      other.start();
      other.join(2000);
      assertFalse(got[0]);
      assertFalse(got[1]);
      assertTrue(took[0] >= TimeUnit.MILLISECONDS.toNanos(30), "tryLock(30 ms) took " + took[0]);
      long t0 = System.nanoTime();
      assertFalse(cond.await(20, TimeUnit.MILLISECONDS));
      assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(20));
      assertTrue(lock.isHeldByCurrentThread());
    } finally {
      lock.unlock();
    }
    assertFalse(new Semaphore(0).tryAcquire(20, TimeUnit.MILLISECONDS));
  }

  private static void fairLockGrantsInArrivalOrder() throws Exception {
    ReentrantLock lock = new ReentrantLock(true);
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    lock.lock();
    try {
      for (int i = 0; i < 4; i++) {
        int n = i;
        Thread t =
            new Thread(
                () -> {
                  lock.lock();
                  try {
                    order.add(n);
                  } finally {
                    lock.unlock();
                  }
                });
        t.start();
        Contention.untilParked(t); // queued before the next one arrives
        threads.add(t);
      }
    } finally {
      lock.unlock();
    }
    for (Thread t : threads) {
      t.join(2000);
    }
    assertEquals(List.of(0, 1, 2, 3), order);
  }

  private static void parkReturnsOnInterruptWithTheFlagSet() throws Exception {
    boolean[] flag = new boolean[1];
    Thread parker =
        new Thread(
            () -> {
              LockSupport.park(new Object());
              flag[0] = Thread.currentThread().isInterrupted();
            });
    parker.start();
    Contention.untilParked(parker);
    parker.interrupt();
    parker.join(2000);
    assertFalse(parker.isAlive());
    assertTrue(flag[0]);
  }
}
