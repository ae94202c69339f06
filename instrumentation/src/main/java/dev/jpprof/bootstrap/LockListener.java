package dev.jpprof.bootstrap;

/**
 * Receives park and unpark events from {@link LockHook}. Implemented by the lock recorder in the
 * agent's own class loader; called at most once at a time per thread, never from agent threads.
 */
public interface LockListener {
  /**
   * A thread is about to park.
   *
   * @param blocker the park's blocker argument, or null for the forms without one
   * @return the park's start time ({@link System#nanoTime()}), or {@link LockHook#OFF} to ignore
   *     this park
   */
  long parkEnter(Object blocker);

  /** The park that {@link #parkEnter} timed at {@code start} has returned (or thrown). */
  void parkExit(long start);

  /**
   * The calling thread unparks {@code thread}: it may be releasing a lock that thread waits for.
   */
  void unpark(Thread thread);

  /** The calling thread leaves {@code AbstractQueued(Long)Synchronizer.acquire(Node, ...)}. */
  void acquireExit(Object sync);
}
