package dev.jpprof.bootstrap;

/**
 * Called from the start of {@code java.lang.Thread.start()} (rewritten by the agent) for the
 * threadcreate profile and goroutine's "created by". Lives in the bootstrap class loader so that
 * the JDK's Thread can call it; holds no state but the listener, and never throws.
 */
public final class ThreadHook {
  private static volatile ThreadListener listener;

  private ThreadHook() {}

  /** Installs the listener (null to stop). */
  public static void setListener(ThreadListener l) {
    listener = l;
  }

  /** From Thread.start: hands the thread to the listener, unless this thread is already in it. */
  public static void starting(Thread thread) {
    ThreadListener l = listener;
    if (l == null) {
      return;
    }
    try {
      int[] guard = HookGuard.enter();
      if (guard == null) {
        return; // the listener itself (or another hook's) started a thread
      }
      try {
        l.onStart(thread);
      } finally {
        HookGuard.exit(guard);
      }
    } catch (Throwable ignored) {
      // A profiler must never break Thread.start.
    }
  }
}
