package dev.jpprof.agent.threads;

/**
 * The Go wait reason a Java thread's state reads as in a debug=2 dump ({@code goroutine 7 [chan
 * receive]:}), so that people and tools that know Go's dumps read Java's the same way:
 *
 * <ul>
 *   <li>the thread serving the request: {@code running}, as Go marks the dumping goroutine;
 *   <li>BLOCKED entering a monitor: {@code sync.Mutex.Lock on <monitor>};
 *   <li>in {@code Thread.sleep}: {@code sleep};
 *   <li>in {@code Object.wait}: {@code sync.Cond.Wait on <object>};
 *   <li>parked on a ReentrantLock or ReentrantReadWriteLock: {@code sync.Mutex.Lock} or {@code
 *       sync.RWMutex.Lock on <lock>};
 *   <li>parked otherwise (queues, futures, pools): {@code chan receive on <blocker>};
 *   <li>waiting in socket or file I/O, running or parked: {@code IO wait};
 *   <li>RUNNABLE in another native method: {@code syscall}; else {@code runnable}.
 * </ul>
 */
final class WaitReason {
  /** How many frames from the top are searched for the call that explains the wait. */
  private static final int NEAR = 8;

  private WaitReason() {}

  static String of(ThreadSample t, boolean requester) {
    if (requester) {
      return "running";
    }
    Thread.State state = t.state;
    if (state == Thread.State.BLOCKED) {
      return "sync.Mutex.Lock" + on(t.lock);
    }
    if (state == Thread.State.NEW) {
      return "idle";
    }
    if (state == Thread.State.TERMINATED) {
      return "dead";
    }
    if (inIo(t.stack)) {
      return "IO wait";
    }
    boolean running = state == Thread.State.RUNNABLE;
    if (!running
        && (near(t.stack, "java.lang.Thread", "sleep")
            || near(t.stack, "java.lang.VirtualThread", "sleepNanos"))) {
      return "sleep";
    }
    if (!running && near(t.stack, "java.lang.Object", "wait")) {
      return "sync.Cond.Wait" + on(t.lock);
    }
    if (!running && (parked(t.stack) || state != null)) {
      return lockWait(t.lock) + on(t.lock);
    }
    if (t.stack.length > 0 && t.stack[0].isNativeMethod()) {
      return "syscall";
    }
    return "runnable";
  }

  /** Parked on a lock's synchronizer reads as Go's lock waits; anything else as a channel. */
  private static String lockWait(String lock) {
    if (lock != null && lock.startsWith("java.util.concurrent.locks.ReentrantReadWriteLock$")) {
      return "sync.RWMutex.Lock";
    }
    if (lock != null && lock.startsWith("java.util.concurrent.locks.ReentrantLock$")) {
      return "sync.Mutex.Lock";
    }
    return "chan receive";
  }

  private static String on(String lock) {
    return lock == null || lock.isEmpty() ? "" : " on " + lock;
  }

  private static boolean parked(StackTraceElement[] stack) {
    return near(stack, "jdk.internal.misc.Unsafe", "park")
        || near(stack, "java.util.concurrent.locks.LockSupport", "park")
        || near(stack, "java.lang.VirtualThread", "park");
  }

  /** Socket and file I/O: the JDK's NIO and net internals near the top of the stack. */
  private static boolean inIo(StackTraceElement[] stack) {
    for (int i = 0; i < Math.min(NEAR, stack.length); i++) {
      String c = stack[i].getClassName();
      if (c.startsWith("sun.nio.ch.") && !c.startsWith("sun.nio.ch.Util")
          || c.startsWith("java.net.") && stack[i].isNativeMethod()
          || c.startsWith("sun.nio.fs.") && stack[i].isNativeMethod()) {
        return true;
      }
    }
    return false;
  }

  /** Whether a method of {@code className} named {@code method}… is near the top. */
  private static boolean near(StackTraceElement[] stack, String className, String method) {
    for (int i = 0; i < Math.min(NEAR, stack.length); i++) {
      StackTraceElement e = stack[i];
      if (e.getClassName().equals(className) && e.getMethodName().startsWith(method)) {
        return true;
      }
    }
    return false;
  }
}
