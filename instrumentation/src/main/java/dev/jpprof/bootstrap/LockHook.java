package dev.jpprof.bootstrap;

/**
 * Called from advice inlined into {@code LockSupport.park*}, {@code LockSupport.unpark} and {@code
 * AbstractQueued(Long)Synchronizer.acquire(Node, ...)} for the block and mutex profiles. Park and
 * acquire(Node, ...) run only when a lock or queue really blocks, so uncontended locking never gets
 * here. Never throws; does nothing when no profile is on, inside a listener call (a recorder that
 * parks) or on the agent's own threads.
 */
public final class LockHook {
  /** The start time that means "this park is not timed". */
  public static final long OFF = Long.MIN_VALUE;

  private static volatile LockListener listener;
  private static volatile boolean active;

  private LockHook() {}

  /** Installs the listener (null to stop). */
  public static void setListener(LockListener l) {
    listener = l;
  }

  /**
   * Whether either profile is on. Off (Go's default), a park or unpark costs one volatile read;
   * parks already timed still end, and acquire ends are still seen so that no state is left.
   */
  public static void setActive(boolean on) {
    active = on;
  }

  /** Before a park; returns what to pass to {@link #parkExit}. */
  public static long parkEnter(Object blocker) {
    LockListener l = listener;
    if (l == null || !active) {
      return OFF;
    }
    try {
      int[] guard = HookGuard.enter();
      if (guard == null) {
        return OFF;
      }
      try {
        return AgentThreads.isAgentThread(Thread.currentThread()) ? OFF : l.parkEnter(blocker);
      } finally {
        HookGuard.exit(guard);
      }
    } catch (Throwable ignored) {
      return OFF; // a profiler must never break the application's waits
    }
  }

  /** After a park, normal or not, with {@link #parkEnter}'s result. */
  public static void parkExit(long start) {
    LockListener l = listener;
    if (l == null || start == OFF) {
      return;
    }
    try {
      int[] guard = HookGuard.enter();
      if (guard != null) {
        try {
          l.parkExit(start);
        } finally {
          HookGuard.exit(guard);
        }
      }
    } catch (Throwable ignored) {
      // The wait is simply not recorded.
    }
  }

  /** Before {@code LockSupport.unpark(thread)}. */
  public static void unpark(Thread thread) {
    LockListener l = listener;
    if (l == null || !active || thread == null) {
      return;
    }
    try {
      int[] guard = HookGuard.enter();
      if (guard != null) {
        try {
          if (!AgentThreads.isAgentThread(Thread.currentThread())) {
            l.unpark(thread);
          }
        } finally {
          HookGuard.exit(guard);
        }
      }
    } catch (Throwable ignored) {
      // The release is simply not charged.
    }
  }

  /** On leaving {@code acquire(Node, ...)} of {@code sync}, normally or not. */
  public static void acquireExit(Object sync) {
    LockListener l = listener;
    if (l == null) {
      return;
    }
    try {
      int[] guard = HookGuard.enter();
      if (guard != null) {
        try {
          l.acquireExit(sync);
        } finally {
          HookGuard.exit(guard);
        }
      }
    } catch (Throwable ignored) {
      // The wait is simply not recorded.
    }
  }
}
