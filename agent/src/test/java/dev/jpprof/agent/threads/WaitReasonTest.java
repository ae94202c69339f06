package dev.jpprof.agent.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WaitReasonTest {
  static StackTraceElement f(String cls, String method, int line) {
    return new StackTraceElement(
        cls, method, cls.substring(cls.lastIndexOf('.') + 1) + ".java", line);
  }

  static ThreadSample t(Thread.State state, String lock, StackTraceElement... stack) {
    return new ThreadSample(7, "pool-1-thread-1", state, false, lock, stack);
  }

  private static final StackTraceElement APP = f("com.example.App", "work", 10);
  private static final StackTraceElement PARK =
      new StackTraceElement("jdk.internal.misc.Unsafe", "park", null, -2);
  private static final StackTraceElement LOCK_SUPPORT =
      f("java.util.concurrent.locks.LockSupport", "park", 371);

  /** The reason of a thread parked in LockSupport (not the requester) on {@code blocker}. */
  private static String parked(Thread.State state, String blocker) {
    return WaitReason.of(t(state, blocker, PARK, LOCK_SUPPORT, APP), false);
  }

  @Test
  void requesterRuns() {
    assertEquals("running", WaitReason.of(t(Thread.State.WAITING, null, APP), true));
  }

  @Test
  void blockedOnAMonitorIsAMutexLockNamingIt() {
    assertEquals(
        "sync.Mutex.Lock on java.lang.Object@1b6d3586",
        WaitReason.of(t(Thread.State.BLOCKED, "java.lang.Object@1b6d3586", APP), false));
  }

  @Test
  void parkedIsAChannelReceiveNamingTheBlocker() {
    String queue = "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject@5e2de80c";
    assertEquals("chan receive on " + queue, parked(Thread.State.WAITING, queue));
    assertEquals("chan receive", parked(Thread.State.TIMED_WAITING, null));
  }

  @Test
  void parkedOnALockIsAMutexLock() {
    String lock = "java.util.concurrent.locks.ReentrantLock$NonfairSync@3c";
    assertEquals("sync.Mutex.Lock on " + lock, parked(Thread.State.WAITING, lock));
    String rw = "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync@4d";
    assertEquals("sync.RWMutex.Lock on " + rw, parked(Thread.State.WAITING, rw));
  }

  @Test
  void sleepingAndObjectWait() {
    StackTraceElement sleep = new StackTraceElement("java.lang.Thread", "sleep0", null, -2);
    assertEquals("sleep", WaitReason.of(t(Thread.State.TIMED_WAITING, null, sleep, APP), false));
    StackTraceElement wait = new StackTraceElement("java.lang.Object", "wait0", null, -2);
    assertEquals(
        "sync.Cond.Wait on java.lang.Object@99",
        WaitReason.of(t(Thread.State.WAITING, "java.lang.Object@99", wait, APP), false));
  }

  @Test
  void runnableInIoNativeOrJava() {
    StackTraceElement poll = new StackTraceElement("sun.nio.ch.EPoll", "wait", null, -2);
    assertEquals("IO wait", WaitReason.of(t(Thread.State.RUNNABLE, null, poll, APP), false));
    StackTraceElement read =
        new StackTraceElement("java.net.SocketInputStream", "socketRead0", null, -2);
    assertEquals("IO wait", WaitReason.of(t(Thread.State.RUNNABLE, null, read, APP), false));
    StackTraceElement other =
        new StackTraceElement("java.lang.ref.Reference", "waitForReferencePendingList", null, -2);
    assertEquals("syscall", WaitReason.of(t(Thread.State.RUNNABLE, null, other, APP), false));
    assertEquals("runnable", WaitReason.of(t(Thread.State.RUNNABLE, null, APP), false));
  }

  @Test
  void virtualThreadWithoutAStateReadsTheStack() {
    StackTraceElement vpark = f("java.lang.VirtualThread", "park", 742);
    assertEquals("chan receive", WaitReason.of(t(null, null, vpark, LOCK_SUPPORT, APP), false));
    StackTraceElement vsleep = f("java.lang.VirtualThread", "sleepNanos", 980);
    assertEquals("sleep", WaitReason.of(t(null, null, vsleep, APP), false));
    assertEquals("runnable", WaitReason.of(t(null, null, APP), false));
  }
}
