package dev.jpprof.instrumentation.locks;

import static dev.jpprof.instrumentation.locks.Records.calleeClass;
import static dev.jpprof.instrumentation.locks.Records.delayThrough;
import static dev.jpprof.instrumentation.locks.Records.dump;
import static dev.jpprof.instrumentation.locks.Records.has;
import static dev.jpprof.instrumentation.locks.Records.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.locks.Contention;
import example.locks.Contention.Times;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine installed in this JVM (Surefire gives the class its own). Records are cumulative, so
 * each test looks only at stacks through its own scenario's methods.
 */
class LockProfilerAgentTest {
  private static final Instrumentation INST = ByteBuddyAgent.install();
  private static LockProfiler locks;

  @BeforeAll
  static void install() {
    locks = LockProfiler.install(INST, 64, 1000);
    locks.setBlockRate(1);
    locks.setMutexFraction(1);
  }

  @AfterAll
  static void close() {
    locks.close();
  }

  @Test
  void reentrantLockWaitIsBlockAndTheUnlockIsMutex() throws Exception {
    Times times = new Times();
    for (int i = 0; i < 5; i++) {
      Contention.lockOnce(new ReentrantLock(), 10, times);
    }
    ContentionRecord block = only(locks.blockSnapshot(), "waitForLock", "lock");
    assertEquals("java.util.concurrent.locks.ReentrantLock", calleeClass(block, "waitForLock"));
    assertEquals(5, block.count());
    assertWaited(times, block);
    assertEquals(times.waited, block.delayNanos(), times.waited * 0.2, "vs the waiter's clock");
    ContentionRecord mutex = only(locks.mutexSnapshot(), "holdLock", "unlock");
    assertEquals(5, mutex.count());
    assertCharged(times, mutex);
    assertEquals(0, locks.trackedWaits());
    assertEquals("hooked 3 JDK classes (LockSupport, AQS acquire)", locks.status());
  }

  @Test
  void readerWaitingForTheWriterIsChargedToTheWriteUnlock() throws Exception {
    Times times = new Times();
    for (int i = 0; i < 3; i++) {
      ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
      Contention.lockOnce(rw.writeLock(), rw.readLock(), 10, "reader", times);
    }
    ContentionRecord block =
        only(
            locks.blockSnapshot(),
            "waitForLock",
            "lock",
            "java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock");
    assertEquals(3, block.count());
    assertWaited(times, block);
    ContentionRecord mutex =
        only(
            locks.mutexSnapshot(),
            "holdLock",
            "unlock",
            "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock");
    assertEquals(3, mutex.count());
    assertCharged(times, mutex);
  }

  @Test
  void semaphoreAndLatchWaitsAreChargedToReleaseAndCountDown() throws Exception {
    Times permits = new Times();
    Times latch = new Times();
    for (int i = 0; i < 3; i++) {
      Contention.semaphoreOnce(10, permits);
      Contention.latchOnce(10, latch);
    }
    ContentionRecord block =
        only(
            locks.blockSnapshot(),
            "waitForPermit",
            "acquireUninterruptibly",
            Semaphore.class.getName());
    assertWaited(permits, block);
    ContentionRecord mutex =
        only(locks.mutexSnapshot(), "releasePermit", "release", Semaphore.class.getName());
    assertCharged(permits, mutex);
    ContentionRecord latchBlock =
        only(locks.blockSnapshot(), "awaitLatch", "awaitQuietly", Contention.class.getName());
    assertWaited(latch, latchBlock);
    ContentionRecord latchMutex =
        only(locks.mutexSnapshot(), "countDownLatch", "countDown", CountDownLatch.class.getName());
    assertCharged(latch, latchMutex);
    assertEquals(3, block.count());
    assertEquals(3, mutex.count());
  }

  @Test
  void queueTakeIsBlockOnlyAConditionWaitIsNoLockContention() throws Exception {
    Times times = new Times();
    for (int i = 0; i < 3; i++) {
      Contention.queueOnce(new ArrayBlockingQueue<>(1), 10, times);
      Contention.queueOnce(new LinkedBlockingQueue<>(), 10, times);
    }
    long delay = delayThrough(locks.blockSnapshot(), "takeFromQueue");
    assertTrue(
        times.held <= delay && delay <= times.waited,
        delay + " not in [" + times.held + ", " + times.waited + "]");
    assertTrue(
        locks.mutexSnapshot().stream().noneMatch(r -> has(r, "putIntoQueue")),
        dump(locks.mutexSnapshot()));
  }

  @Test
  void stampedLockIsNoAqsSoItsWaitsAreBlockOnly() throws Exception {
    Times times = new Times();
    for (int i = 0; i < 3; i++) {
      Contention.stampedOnce(10, times);
    }
    long delay = delayThrough(locks.blockSnapshot(), "waitForStamp");
    assertTrue(
        times.held <= delay && delay <= times.waited,
        delay + " not in [" + times.held + ", " + times.waited + "]");
    assertEquals(0, delayThrough(locks.mutexSnapshot(), "holdStamp"));
  }

  @Test
  void agentThreadsAreNeitherWaitersNorReleasers() throws Exception {
    long blockBefore = delayThrough(locks.blockSnapshot(), "waitForLock");
    long mutexBefore = delayThrough(locks.mutexSnapshot(), "holdLock", "unlock");
    Times times = new Times();
    ReentrantLock lock = new ReentrantLock();
    Contention.lockOnce(lock, lock, 10, "jpprof-waiter", times);
    assertTrue(times.held > 5_000_000, "the agent thread did wait: " + times.held);
    assertEquals(blockBefore, delayThrough(locks.blockSnapshot(), "waitForLock"));
    assertEquals(mutexBefore, delayThrough(locks.mutexSnapshot(), "holdLock", "unlock"));
  }

  /**
   * A waiter's record: its wait lies within the scenario's bounds (the waiter's own clock also
   * counts the call's first run before it parks, class loading included).
   */
  static void assertWaited(Times times, ContentionRecord r) {
    long d = r.delayNanos();
    assertTrue(
        times.held <= d && d <= times.waited,
        "block " + d + " not in [" + times.held + ", " + times.waited + "]");
  }

  /**
   * A releaser's record: charged from the waiter's park to the release, so at least the time the
   * holder kept it after the waiter parked, at most what the waiter waited (which adds its wake-up,
   * up to several ms on a loaded machine).
   */
  static void assertCharged(Times times, ContentionRecord r) {
    long d = r.delayNanos();
    assertTrue(
        times.held <= d && d <= times.waited,
        "mutex " + d + " not in [" + times.held + ", " + times.waited + "]");
  }
}
