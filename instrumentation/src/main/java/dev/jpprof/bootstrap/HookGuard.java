package dev.jpprof.bootstrap;

/**
 * The one per-thread reentrancy guard of every hook (allocation, thread start, park/unpark): a
 * count of reasons not to call a listener on this thread, 0 meaning "call it". Inside any listener
 * the count is positive, so agent code that allocates, starts a thread or parks is never recorded
 * by another hook either; agent work on application threads (class transformation) runs {@link
 * #suspend suspended}; agent threads may be marked {@link #ignoreCurrentThread ignored}.
 */
public final class HookGuard {
  private static final int IGNORED = 1 << 30; // large enough that no resume brings it to 0
  private static final Depth DEPTH = new Depth();

  private HookGuard() {}

  /**
   * Enters a listener call.
   *
   * @return the counter to pass to {@link #exit}, or null if this thread must not be recorded
   */
  public static int[] enter() {
    int[] d = DEPTH.get();
    if (d[0] != 0) {
      return null;
    }
    d[0] = 1;
    return d;
  }

  /** Leaves the listener call that {@link #enter} allowed. */
  public static void exit(int[] d) {
    d[0]--;
  }

  /** Marks the calling (agent) thread so that no hook ever records it. */
  public static void ignoreCurrentThread() {
    DEPTH.get()[0] = IGNORED;
  }

  /** Stops recording the calling thread until the matching {@link #resume()}; calls nest. */
  public static void suspend() {
    DEPTH.get()[0]++;
  }

  /** Ends one {@link #suspend()}. */
  public static void resume() {
    DEPTH.get()[0]--;
  }

  /**
   * A named ThreadLocal rather than a lambda: a bootstrap-defined class makes no hidden classes.
   */
  static final class Depth extends ThreadLocal<int[]> {
    @Override
    protected int[] initialValue() {
      return new int[1];
    }
  }
}
