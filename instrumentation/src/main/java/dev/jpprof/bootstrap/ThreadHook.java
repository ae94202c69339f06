package dev.jpprof.bootstrap;

/**
 * Called from the start of {@code java.lang.Thread.start()} (rewritten by the agent) for the
 * threadcreate profile and goroutine's "created by". Lives in the bootstrap class loader so that
 * the JDK's Thread can call it; holds no state but the listener, and never throws.
 */
public final class ThreadHook {
  private static volatile ThreadListener listener;
  private static final Busy BUSY = new Busy();

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
      boolean[] busy = BUSY.get();
      if (busy[0]) {
        return; // the listener itself started a thread
      }
      busy[0] = true;
      try {
        l.onStart(thread);
      } finally {
        busy[0] = false;
      }
    } catch (Throwable ignored) {
      // A profiler must never break Thread.start.
    }
  }

  /** A named ThreadLocal rather than a lambda: a bootstrap-defined class makes no hidden classes. */
  static final class Busy extends ThreadLocal<boolean[]> {
    @Override
    protected boolean[] initialValue() {
      return new boolean[1];
    }
  }
}
